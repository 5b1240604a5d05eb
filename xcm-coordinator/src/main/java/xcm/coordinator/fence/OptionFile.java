package xcm.coordinator.fence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import xcm.mbeans.config.FileMode;

/**
 * Reads an option's value from its file (a BMC password), at each run so that a changed password
 * needs no restart. The file must be its owner's only, as ssh wants of a private key.
 */
final class OptionFile {
  private OptionFile() {}

  /**
   * The value: the file's text without one trailing newline.
   *
   * @throws IOException with a message naming the option and the file, never the value
   */
  static String read(String option, Path file) throws IOException {
    String what = "option " + option + " file " + file;
    if (!Files.isRegularFile(file)) {
      throw new IOException(what + ": not a readable file");
    }
    Optional<FileMode> mode = FileMode.of(file);
    if (mode.isPresent() && !mode.get().ownerOnly()) {
      throw new IOException(
          what
              + ": holds a secret but has mode "
              + mode.get()
              + ", which lets group or others read or write it; make it its owner's only (chmod"
              + " 600 "
              + file
              + ")");
    }
    byte[] bytes;
    // The limit is in bytes: a character is at most 4 of them, and the newline 2.
    int limit = FenceDevice.MAX_VALUE_LENGTH * 4 + 2;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(limit + 1);
    } catch (IOException e) {
      throw new IOException(what + ": cannot be read: " + e.getMessage(), e);
    }
    return value(what, bytes, limit);
  }

  private static String value(String what, byte[] bytes, int limit) throws IOException {
    if (bytes.length > limit) {
      throw new IOException(what + ": larger than " + limit + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(what + ": not UTF-8 text");
    }
    if (text.endsWith("\r\n")) {
      text = text.substring(0, text.length() - 2);
    } else if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.isEmpty()) {
      throw new IOException(what + ": is empty");
    }
    String problem = FenceDevice.problemWithValue(text);
    if (problem != null) {
      throw new IOException(what + ": " + problem);
    }
    return text;
  }
}
