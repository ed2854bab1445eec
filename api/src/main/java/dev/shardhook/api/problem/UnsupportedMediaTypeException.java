package dev.shardhook.api.problem;

/** A request body in a media type the endpoint does not read. */
public final class UnsupportedMediaTypeException extends ProblemException {
  public UnsupportedMediaTypeException(String message) {
    super(415, ProblemTypes.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", message, null);
  }
}
