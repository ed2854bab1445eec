package dev.shardhook.api.problem;

import dev.shardhook.api.Problem;
import java.util.Map;

/**
 * A request the API refuses, as the node and the proxy answer it: one final subclass per problem
 * kind, each with its status, the short {@code type} slug and the title every instance shares. The
 * same kinds on both hops, so a client cannot tell from an error whether a proxy or a node refused
 * it (README, "HTTP API").
 */
public abstract sealed class ProblemException extends RuntimeException
    permits BadGatewayException,
        BadRequestException,
        ForbiddenException,
        GatewayTimeoutException,
        IdempotencyMismatchException,
        InvalidJobException,
        JobAlreadyFinishedException,
        JobNotFoundException,
        JobNotReplayableException,
        MethodNotAllowedException,
        MisdirectedRequestException,
        PayloadTooLargeException,
        QueueProblemException,
        RetryLaterException,
        RouteNotFoundException,
        UnauthorizedException,
        UnsupportedMediaTypeException {
  /** Every problem {@code type} is this prefix followed by the kind's slug. */
  public static final String TYPE_PREFIX = "https://shardhook.dev/problems/";

  private final int status;
  private final String type;
  private final String title;

  ProblemException(int status, String type, String title, String detail, Throwable cause) {
    super(detail, cause);
    this.status = status;
    this.type = type;
    this.title = title;
  }

  /** The HTTP status this problem answers with. */
  public final int status() {
    return status;
  }

  /** Short, stable name of the kind: the last segment of the problem {@code type} URI. */
  public final String type() {
    return type;
  }

  /** Problem title: the same for every instance of the kind. */
  public final String title() {
    return title;
  }

  /** Headers the answer carries besides the problem ({@code Retry-After}, {@code Allow}...). */
  public Map<String, String> headers() {
    return Map.of();
  }

  /** The problem document, about the request path {@code instance}. */
  public final Problem toProblem(String instance) {
    return new Problem(TYPE_PREFIX + type, title, status, getMessage(), instance);
  }
}
