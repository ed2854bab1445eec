package dev.shardhook.support.config;

import dev.shardhook.support.InvalidConfigException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What {@code main} of a server does, the same for the node and the proxy: read its settings from
 * flags and the environment, build its config, start it, and close it on SIGTERM. {@code --help}
 * lists every setting with its variable and default.
 *
 * <p>Exit codes: 0 started (or help shown), 2 a bad setting (one line on stderr naming it), 1 the
 * server could not start.
 *
 * @param <C> the server's config
 */
public final class StartCommand<C> {
  /** Starts the server; closing the result stops it. */
  @FunctionalInterface
  public interface Starter<C> {
    AutoCloseable start(C config) throws Exception;
  }

  private final String name;
  private final String description;
  private final List<Setting<?>> settings;
  private final Function<SettingValues, C> configure;
  private final Starter<C> starter;
  private final List<Class<? extends Exception>> selfExplaining;

  /**
   * @param configure builds the config from the values read, checking them
   */
  public StartCommand(
      String name,
      String description,
      List<Setting<?>> settings,
      Function<SettingValues, C> configure,
      Starter<C> starter) {
    this(name, description, settings, configure, starter, List.of(UncheckedIOException.class));
  }

  private StartCommand(
      String name,
      String description,
      List<Setting<?>> settings,
      Function<SettingValues, C> configure,
      Starter<C> starter,
      List<Class<? extends Exception>> selfExplaining) {
    this.name = name;
    this.description = description;
    this.settings = List.copyOf(settings);
    this.configure = configure;
    this.starter = starter;
    this.selfExplaining = List.copyOf(selfExplaining);
  }

  /**
   * This command, reporting a start failure of {@code type} by its message alone (as it does for
   * {@link UncheckedIOException}); others by their class and message.
   */
  public StartCommand<C> withSelfExplaining(Class<? extends Exception> type) {
    List<Class<? extends Exception>> types = new ArrayList<>(selfExplaining);
    types.add(type);
    return new StartCommand<>(name, description, settings, configure, starter, types);
  }

  /**
   * The config a server started with {@code args} and environment {@code env} runs with.
   *
   * @throws InvalidConfigException naming the setting that is missing, malformed or out of range
   */
  public C config(Map<String, String> env, List<String> args) {
    return configure.apply(SettingValues.read(settings, args, env));
  }

  /**
   * Runs the command with the process's arguments, environment and streams; exits the JVM unless it
   * started the server (whose threads then keep the JVM up until the shutdown hook closes it) or
   * showed help.
   */
  public void runAsMain(String[] args) {
    int code =
        run(
            List.of(args),
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true));
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs the command; on 0 after a start, a shutdown hook closes the server.
   *
   * @return the process exit code
   */
  public int run(List<String> args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    if (args.contains("-h") || args.contains("--help")) {
      out.print(help());
      out.flush();
      return 0;
    }
    if (args.contains("-V") || args.contains("--version")) {
      out.println(name + " " + version());
      out.flush();
      return 0;
    }
    C config;
    AutoCloseable server;
    try {
      config = config(env, args);
      server = starter.start(config);
    } catch (InvalidConfigException e) {
      err.println(name + ": invalid configuration: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      boolean explains = selfExplaining.stream().anyMatch(t -> t.isInstance(e));
      err.println(name + ": cannot start: " + (explains ? e.getMessage() : e) + causeOf(e));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(server, err), "shutdown"));
    return 0;
  }

  private void close(AutoCloseable server, PrintWriter err) {
    try {
      server.close();
    } catch (Exception e) {
      err.println(name + ": error while stopping: " + e);
    }
  }

  /** Every environment variable read: {@code SHARDHOOK_<SETTING>} for each setting. */
  public Set<String> environmentVariables() {
    Set<String> names = new TreeSet<>();
    settings.forEach(s -> names.add(s.environmentVariable()));
    return names;
  }

  /** Usage, then each setting: its flag, variable, default, and what it means. */
  public String help() {
    StringBuilder b = new StringBuilder();
    b.append("Usage: ").append(name).append(" [--setting value]...\n");
    b.append(description).append("\n\n");
    b.append("Every setting is a flag or an environment variable; a flag wins.\n");
    b.append("Durations: 500ms, 10s, 2m, 1h, 1d or PT10S. Byte sizes: 1048576, 512KiB, 1MiB.\n\n");
    for (Setting<?> s : settings) {
      String hint = s.format().hint();
      b.append("  ").append(s.flag()).append(hint.isEmpty() ? "" : " <" + hint + ">");
      b.append("  ").append(s.environmentVariable());
      b.append("  (").append(s.isRequired() ? "required" : "default: " + s.defaultText());
      b.append(")\n      ").append(s.description()).append('\n');
    }
    b.append("  -h, --help\n      Show this help and exit.\n");
    b.append("  -V, --version\n      Print the version and exit.\n");
    return b.toString();
  }

  private static String version() {
    return Optional.ofNullable(StartCommand.class.getPackage().getImplementationVersion())
        .orElse("(development build)");
  }

  private static String causeOf(Throwable e) {
    return e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")";
  }
}
