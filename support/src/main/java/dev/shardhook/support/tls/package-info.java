/**
 * TLS for both servers: this process's certificate chain, private key and CA certificates read from
 * PEM files ({@link dev.shardhook.support.tls.TlsFiles}), kept current while the files change
 * ({@link dev.shardhook.support.tls.TlsIdentity}), and handed to Jetty (server side), OkHttp and
 * Ratis gRPC (client and server side).
 */
package dev.shardhook.support.tls;
