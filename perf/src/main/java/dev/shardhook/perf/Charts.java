package dev.shardhook.perf;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG charts of a result directory, drawn headless with XChart. */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  /** A chart and the file name (without {@code .png}) it is written to. */
  record Named(String file, String title, Chart<?, ?> chart) {
    Path write(Path dir) throws IOException {
      Path png = dir.resolve(file + ".png");
      BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
      return png;
    }
  }

  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)
  };

  private Charts() {}

  /**
   * Grouped bars: one group per category, one bar per series. Missing values (NaN) are drawn as 0.
   */
  static Named bars(
      String file,
      String title,
      String yTitle,
      List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setDecimalPattern("#,##0.##");
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsPosition(0.95);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
    chart.getStyler().setLabelsFontColor(Color.DARK_GRAY);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setOverlapped(false);
    series.forEach(
        (name, values) ->
            chart.addSeries(name, categories, values.stream().map(Charts::finite).toList()));
    return new Named(file, title, chart);
  }

  /** A single-series bar chart. */
  static Named bars(
      String file, String title, String yTitle, Map<String, Double> valuesByCategory) {
    return bars(
        file,
        title,
        yTitle,
        new ArrayList<>(valuesByCategory.keySet()),
        Map.of(yTitle, new ArrayList<>(valuesByCategory.values())));
  }

  /**
   * Lines over time; {@code markers} are x values drawn as vertical lines (kills in failover).
   *
   * @param series name → points {x, y}
   */
  static Named lines(
      String file,
      String title,
      String xTitle,
      String yTitle,
      Map<String, List<double[]>> series,
      String markerName,
      List<Double> markers) {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    style(chart.getStyler());
    chart.getStyler().setYAxisMin(0.0);
    double top = 1;
    for (Map.Entry<String, List<double[]>> entry : series.entrySet()) {
      List<double[]> points =
          entry.getValue().isEmpty() ? List.of(new double[] {0, 0}) : entry.getValue();
      double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
      double[] y = points.stream().mapToDouble(p -> finite(p[1])).toArray();
      for (double v : y) {
        top = Math.max(top, v);
      }
      XYSeries line = chart.addSeries(entry.getKey(), x, y);
      line.setMarker(SeriesMarkers.NONE);
    }
    for (int i = 0; i < markers.size(); i++) {
      double at = markers.get(i);
      XYSeries marker =
          chart.addSeries(
              i == 0 ? markerName : markerName + " " + (i + 1),
              new double[] {at, at},
              new double[] {0, top});
      marker.setMarker(SeriesMarkers.NONE);
      marker.setLineColor(Color.RED);
      marker.setShowInLegend(i == 0);
    }
    return new Named(file, title, chart);
  }

  /** Points {x, y} from parallel lists. */
  static List<double[]> points(List<Double> x, List<Double> y) {
    List<double[]> points = new ArrayList<>(x.size());
    for (int i = 0; i < x.size(); i++) {
      points.add(new double[] {x.get(i), y.get(i)});
    }
    return points;
  }

  /** An insertion-ordered map, for series in legend order. */
  static <V> Map<String, V> ordered() {
    return new LinkedHashMap<>();
  }

  private static void style(AxesChartStyler styler) {
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setLegendPosition(Styler.LegendPosition.InsideNW);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setSeriesColors(COLORS);
    styler.setAntiAlias(true);
  }

  private static double finite(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? 0 : value;
  }
}
