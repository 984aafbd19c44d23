package dev.lookout.filters.internal.access;

import dev.lookout.filters.internal.config.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A set of IPv4 and IPv6 addresses and CIDR ranges, from a setting such as {@code
 * 10.0.0.0/8,::1}. Internal.
 *
 * <p>Entries and candidates are parsed as IP literals only, never resolved: a header value must
 * never cause a DNS lookup.
 */
public final class AddressRanges {

  private final byte[][] networks;
  private final int[] prefixes;

  /**
   * @param ranges IPs or CIDR ranges, e.g. {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}
   * @param settingName the setting they come from, for the message of a bad entry
   * @throws ConfigurationException naming the setting and the bad entry
   */
  public AddressRanges(List<String> ranges, String settingName) {
    networks = new byte[ranges.size()][];
    prefixes = new int[ranges.size()];
    for (int r = 0; r < ranges.size(); r++) {
      String range = ranges.get(r);
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
      networks[r] = address;
      prefixes[r] = prefix;
    }
  }

  public boolean isEmpty() {
    return networks.length == 0;
  }

  /** Whether this IP literal lies in one of the ranges; false for anything that is not an IP literal. */
  public boolean contains(String ip) {
    if (networks.length == 0) {
      return false;
    }
    byte[] address = parseLiteral(ip);
    if (address == null) {
      return false;
    }
    for (int i = 0; i < networks.length; i++) {
      if (matches(networks[i], prefixes[i], address)) {
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

  /**
   * The bytes of an IPv4 or IPv6 literal, or null; never a DNS lookup. An IPv6 literal may come in
   * brackets ({@code [::1]}, as some containers report the peer) and with a zone ({@code %eth0}),
   * which is ignored; an IPv4-mapped IPv6 address gives the four IPv4 bytes.
   */
  public static byte[] parseLiteral(String s) {
    if (s == null || s.isEmpty() || s.length() > 64) {
      return null;
    }
    if (s.indexOf(':') >= 0) {
      int start = 0;
      int end = s.length();
      if (s.charAt(0) == '[') {
        if (s.charAt(end - 1) != ']') {
          return null;
        }
        start = 1;
        end--;
      }
      int zone = s.indexOf('%', start);
      if (zone >= 0 && zone < end) {
        end = zone;
      }
      if (end - start > 45 || end <= start) {
        return null;
      }
      for (int i = start; i < end; i++) {
        char c = s.charAt(i);
        boolean ok =
            (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
        if (!ok) {
          return null;
        }
      }
      try {
        // A string with ':' and only these characters is parsed as an IPv6 literal, never looked up.
        return InetAddress.getByName(s.substring(start, end)).getAddress();
      } catch (UnknownHostException | RuntimeException e) {
        return null;
      }
    }
    return s.length() > 15 ? null : parseIpv4(s);
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
