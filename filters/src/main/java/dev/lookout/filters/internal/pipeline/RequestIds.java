package dev.lookout.filters.internal.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Validation and generation of request IDs. Internal.
 *
 * <p>Generated IDs are 128 random bits as 32 lower-case hex characters. They identify requests;
 * they are not secrets, so {@link ThreadLocalRandom} (no contention, no entropy pool) is the right
 * source rather than {@code UUID.randomUUID()}'s {@code SecureRandom}.
 */
public final class RequestIds {

  /** Longest incoming ID accepted. */
  public static final int MAX_LENGTH = 128;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Characters allowed in an incoming ID: {@code [A-Za-z0-9._:-]}. */
  private static final boolean[] ALLOWED = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ALLOWED[c] = true;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      ALLOWED[c] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ALLOWED[c] = true;
    }
    ALLOWED['.'] = true;
    ALLOWED['_'] = true;
    ALLOWED[':'] = true;
    ALLOWED['-'] = true;
  }

  private RequestIds() {}

  /** Whether an incoming value may be used as an ID: 1–128 characters of {@code [A-Za-z0-9._:-]}. */
  public static boolean isValid(String value) {
    int n = value.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 128 || !ALLOWED[c]) {
        return false;
      }
    }
    return true;
  }

  /** A new random 128-bit ID as 32 lower-case hex characters. */
  public static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long hi = random.nextLong();
    long lo = random.nextLong();
    byte[] out = new byte[32];
    for (int i = 15; i >= 0; i--) {
      out[i] = (byte) HEX[(int) (hi & 0xF)];
      hi >>>= 4;
      out[16 + i] = (byte) HEX[(int) (lo & 0xF)];
      lo >>>= 4;
    }
    // Latin-1 bytes: the String keeps the array's content without a second encoding pass.
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
