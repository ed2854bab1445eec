package dev.shardhook.client;

/**
 * A 2xx answer, read whole.
 *
 * @param status HTTP status
 * @param body the body's bytes, empty when there was none
 */
record ApiResponse(int status, byte[] body) {}
