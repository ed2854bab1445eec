package dev.shardhook.perf;

import java.util.List;

/**
 * What a {@link DeliveryRun} measured.
 *
 * @param system who delivered ({@code shardhook}, {@code db-scheduler})
 * @param jobs jobs submitted
 * @param submitErrors jobs the system refused for good
 * @param accounting acknowledged, delivered, lost, duplicated
 * @param seconds from the first submission (with {@code --due-in}: the due time) to the last first
 *     delivery (NaN: nothing delivered)
 * @param submitSeconds from the first submission until every submission was answered
 * @param timeline acknowledged and delivered jobs over time
 */
record DeliverFigures(
    String system,
    int jobs,
    long submitErrors,
    DeliveryAccounting accounting,
    double seconds,
    double submitSeconds,
    List<DeliveryRun.Sample> timeline) {

  double deliveriesPerSec() {
    return accounting.delivered() / seconds;
  }

  /**
   * {@code {"deliveriesPerSec","bound","efficiency","duplicates","lost",...}}, with {@code "name"}
   * first when {@code named}.
   *
   * @param bound the deliveries per second the workers and the sink's latency allow
   */
  ResultLine toJson(boolean named, double bound) {
    ResultLine json = ResultLine.object();
    if (named) {
      json.put("name", system);
    }
    return json.put("deliveriesPerSec", deliveriesPerSec(), 1)
        .put("bound", bound, 1)
        .put("efficiency", Efficiency.ofBound(deliveriesPerSec(), bound), 3)
        .put("duplicates", accounting.duplicates())
        .put("lost", accounting.lost())
        .put("jobs", jobs)
        .put("accepted", accounting.acknowledged())
        .put("delivered", accounting.delivered())
        .put("submitErrors", submitErrors)
        .put("seconds", seconds, 3)
        .put("submitSeconds", submitSeconds, 3);
  }
}
