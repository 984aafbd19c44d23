package dev.lookout.filters.internal.access;

import dev.lookout.filters.internal.config.ConfigurationException;
import java.util.List;

/**
 * Decides the client address of a request: the peer address, or — only when the peer is one of
 * the configured proxies — the right-most {@code X-Forwarded-For} entry that is not a proxy.
 * Internal.
 *
 * <p>Entries are parsed as IP literals only, never resolved: a header value must never cause a DNS
 * lookup.
 */
public final class TrustedProxies {

  private final AddressRanges proxies;

  /**
   * @param ranges IPs or CIDR ranges, e.g. {@code 10.0.0.0/8}, {@code ::1}
   * @throws ConfigurationException naming the bad entry
   */
  public TrustedProxies(List<String> ranges, String settingName) {
    this.proxies = new AddressRanges(ranges, settingName);
  }

  public boolean isEmpty() {
    return proxies.isEmpty();
  }

  /**
   * The client address.
   *
   * @param remoteAddr the peer address the container reports
   * @param forwardedFor the {@code X-Forwarded-For} header, may be null
   */
  public String clientAddress(String remoteAddr, String forwardedFor) {
    if (proxies.isEmpty() || forwardedFor == null || !isTrusted(remoteAddr)) {
      return remoteAddr;
    }
    String candidate = remoteAddr;
    int end = forwardedFor.length();
    while (end > 0) {
      int comma = forwardedFor.lastIndexOf(',', end - 1);
      String entry = forwardedFor.substring(comma + 1, end).trim();
      end = comma < 0 ? 0 : comma;
      if (entry.isEmpty()) {
        continue;
      }
      if (parseLiteral(entry) == null) {
        return candidate; // garbage: stop at the last address we could believe
      }
      candidate = entry;
      if (!isTrusted(entry)) {
        return entry;
      }
    }
    return candidate;
  }

  /** Whether this address is one of the configured proxies. */
  public boolean isTrusted(String ip) {
    return proxies.contains(ip);
  }

  /** The bytes of an IPv4 or IPv6 literal, or null; never a DNS lookup. */
  static byte[] parseLiteral(String s) {
    return AddressRanges.parseLiteral(s);
  }
}
