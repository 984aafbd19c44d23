package dev.lookout.filters.internal.access;

import dev.lookout.filters.internal.config.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
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

  private final List<byte[]> networks = new ArrayList<>();
  private final List<Integer> prefixes = new ArrayList<>();

  /**
   * @param ranges IPs or CIDR ranges, e.g. {@code 10.0.0.0/8}, {@code ::1}
   * @throws ConfigurationException naming the bad entry
   */
  public TrustedProxies(List<String> ranges, String settingName) {
    for (String range : ranges) {
      int slash = range.indexOf('/');
      String ip = slash < 0 ? range : range.substring(0, slash);
      byte[] address = parseLiteral(ip);
      if (address == null) {
        throw new ConfigurationException(
            "Invalid Lookout setting " + settingName + ": '" + range + "' is not an IP address or CIDR range");
      }
      int prefix = address.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(range.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > address.length * 8) {
          throw new ConfigurationException(
              "Invalid Lookout setting " + settingName + ": '" + range + "' has a bad prefix length");
        }
      }
      networks.add(address);
      prefixes.add(prefix);
    }
  }

  public boolean isEmpty() {
    return networks.isEmpty();
  }

  /**
   * The client address.
   *
   * @param remoteAddr the peer address the container reports
   * @param forwardedFor the {@code X-Forwarded-For} header, may be null
   */
  public String clientAddress(String remoteAddr, String forwardedFor) {
    if (networks.isEmpty() || forwardedFor == null || !isTrusted(remoteAddr)) {
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

  boolean isTrusted(String ip) {
    byte[] address = parseLiteral(ip);
    if (address == null) {
      return false;
    }
    for (int i = 0; i < networks.size(); i++) {
      if (matches(networks.get(i), prefixes.get(i), address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] network, int prefix, byte[] address) {
    if (network.length != address.length) {
      return false;
    }
    int fullBytes = prefix / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (network[fullBytes] & mask) == (address[fullBytes] & mask);
  }

  /** The bytes of an IPv4 or IPv6 literal, or null; never a DNS lookup. */
  static byte[] parseLiteral(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean ok =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
        if (!ok) {
          return null;
        }
      }
      try {
        // A string with ':' and only these characters is parsed as an IPv6 literal, never looked up.
        return InetAddress.getByName(s).getAddress();
      } catch (UnknownHostException | RuntimeException e) {
        return null;
      }
    }
    return parseIpv4(s);
  }

  private static byte[] parseIpv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }
}
