package dev.lookout.filters.internal;

import dev.lookout.filters.internal.config.LookoutSettings;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Manifest;

/** The service's name, version and environment, from settings or what the deployment tells. Internal. */
public record ServiceInfo(String name, String version, String environment) {

  public static ServiceInfo of(LookoutSettings settings, ServletContext context) {
    String name = settings.serviceName;
    if (name.isEmpty()) {
      String path = context.getContextPath();
      name = path == null || path.isEmpty() || path.equals("/") ? "root" : path.substring(1);
    }
    String version = settings.serviceVersion;
    if (version.isEmpty()) {
      version = manifestVersion(context);
    }
    return new ServiceInfo(name, version, settings.serviceEnvironment);
  }

  private static String manifestVersion(ServletContext context) {
    try (InputStream in = context.getResourceAsStream("/META-INF/MANIFEST.MF")) {
      if (in != null) {
        String v = new Manifest(in).getMainAttributes().getValue("Implementation-Version");
        if (v != null && !v.isBlank()) {
          return v.trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // no manifest: fall through
    }
    return "unknown";
  }
}
