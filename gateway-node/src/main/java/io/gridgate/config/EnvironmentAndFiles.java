package io.gridgate.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Resolves {@code ${env:NAME}} through an environment lookup and {@code ${file:/path}} by reading
 * the file as UTF-8 text (at most 64 KB) without its trailing line breaks.
 */
final class EnvironmentAndFiles implements SecretResolver {
  static final int MAX_FILE_BYTES = 64 * 1024;

  private final UnaryOperator<String> environment;

  EnvironmentAndFiles(UnaryOperator<String> environment) {
    this.environment = environment;
  }

  @Override
  public String resolve(SecretReference reference) {
    String value = reference.kind() == SecretReference.Kind.ENV
        ? variable(reference.target()) : withoutTrailingLineBreaks(file(Path.of(reference.target())));
    if (value.isEmpty()) {
      throw new IllegalArgumentException(reference.kind() == SecretReference.Kind.ENV
          ? "the environment variable is empty" : "the file is empty");
    }
    return value;
  }

  private String variable(String name) {
    String value = environment.apply(name);
    if (value == null) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return value;
  }

  private static String file(Path path) {
    try {
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(Files.exists(path) ? "not a regular file" : "no such file");
      }
      if (Files.size(path) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException("the file is larger than " + MAX_FILE_BYTES / 1024 + " KB");
      }
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException("the file cannot be read (permission denied)");
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the file is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException("the file cannot be read");
    }
  }

  private static String withoutTrailingLineBreaks(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    return text.substring(0, end);
  }
}
