package io.gridgate.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;

/**
 * Checks a configured CA bundle the way the TLS stack reads it: a PEM file whose
 * {@code CERTIFICATE} blocks are all X.509 certificates, at least one. A missing, unreadable or
 * unfit file gets one and the same error, which never echoes the file's contents (so a path
 * field is no oracle for which files exist on a node, nor for what they hold).
 */
final class CaBundle {
  /** Larger files are refused unread. */
  static final long MAX_SIZE = 1024 * 1024;
  private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
  private static final String END = "-----END CERTIFICATE-----";

  private CaBundle() {}

  /** The bundle's path, after an error on {@code n} when it does not hold CA certificates; null when {@code n} is missing. */
  static Path read(ConfigNode n) {
    String file = n.requiredString();
    if (file == null) {
      return null;
    }
    Path path = null;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      // reported below like any other unfit file
    }
    if (path == null || !holdsCertificates(path)) {
      n.error("'" + file + "' is not a readable PEM file of CA certificates");
    }
    return path;
  }

  private static boolean holdsCertificates(Path path) {
    try {
      if (!Files.isRegularFile(path) || Files.size(path) > MAX_SIZE) {
        return false;
      }
      return holdsCertificates(Files.readString(path, StandardCharsets.ISO_8859_1));
    } catch (IOException | CertificateException | RuntimeException e) { // a file the parser chokes on is no bundle
      return false;
    }
  }

  private static boolean holdsCertificates(String pem) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    int certificates = 0;
    int begin = pem.indexOf(BEGIN);
    while (begin >= 0) {
      int end = pem.indexOf(END, begin);
      if (end < 0) {
        return false;
      }
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
      factory.generateCertificate(new ByteArrayInputStream(der));
      certificates++;
      begin = pem.indexOf(BEGIN, end);
    }
    return certificates > 0;
  }
}
