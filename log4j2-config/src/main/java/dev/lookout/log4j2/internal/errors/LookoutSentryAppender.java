package dev.lookout.log4j2.internal.errors;

import dev.lookout.log4j2.internal.LookoutResolverFactories;
import dev.lookout.log4j2.internal.Redactor;
import io.sentry.DateUtils;
import io.sentry.Hint;
import io.sentry.ScopesAdapter;
import io.sentry.SentryEvent;
import io.sentry.SentryIntegrationPackageStorage;
import io.sentry.SentryLevel;
import io.sentry.TypeCheckHint;
import io.sentry.exception.ExceptionMechanismException;
import io.sentry.log4j2.SentryAppender;
import io.sentry.protocol.Mechanism;
import io.sentry.protocol.Message;
import io.sentry.util.LoggerPropertiesUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.validation.constraints.Required;
import org.apache.logging.log4j.message.MapMessage;

/**
 * The Sentry SDK's own Log4j2 appender ({@code io.sentry.log4j2.SentryAppender}, which turns log
 * events into Sentry events and breadcrumbs), made request-aware: ERROR events of a request are held
 * until its outcome is known and sent with its tags (one event per failed request), INFO/WARN
 * events become that request's breadcrumbs only (none are kept outside requests), and everything is scrubbed by the logs'
 * redaction rules. Used by the ready configuration only when a DSN is configured:
 *
 * <pre>{@code
 * <LookoutSentryArbiter>
 *   <LookoutSentry name="sentry" eventLevel="ERROR" breadcrumbLevel="INFO" sampleRate="1.0" queueSize="100"/>
 * </LookoutSentryArbiter>
 * }</pre>
 *
 * Internal.
 */
@Plugin(name = "LookoutSentry", category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE, printObject = true)
// Not a subclass of SentryAppender: Log4j2 loads every plugin class of the jar when it reads its plugin
// index, and a Sentry superclass would then be loaded even without a DSN. The SDK's conversion is
// reached through Converter, loaded only when this appender is built.
public final class LookoutSentryAppender extends AbstractAppender {

  private final ErrorSettings settings;
  private final Redactor redactor;
  private final Scrubber scrubber;
  private final Converter converter;
  private final String problem;
  private volatile SentryTracker tracker;

  private LookoutSentryAppender(String name, Filter filter, ErrorSettings settings, String problem, Redactor redactor, String maskedParameters) {
    super(name, filter, null, true, Property.EMPTY_ARRAY);
    this.settings = settings;
    this.problem = problem;
    this.redactor = redactor;
    this.scrubber = new Scrubber(redactor, maskedParameters);
    this.converter = new Converter(name, this);
  }

  /** The SDK's appender, for its conversion of a log event into an event, with the logs' redaction of map messages. */
  static final class Converter extends SentryAppender {
    private final LookoutSentryAppender owner;

    Converter(String name, LookoutSentryAppender owner) {
      super(name, null, null, Level.INFO, Level.ERROR, Level.OFF, null, null, ScopesAdapter.getInstance(), null);
      this.owner = owner;
    }

    /**
     * As the SDK's own conversion, but from the event's exception itself: the SDK asks Log4j2 for a
     * {@code ThrowableProxy}, which resolves the jar of every stack frame (milliseconds per event).
     */
    @Override
    protected SentryEvent createEvent(LogEvent event) {
      SentryEvent e = new SentryEvent(DateUtils.getDateTime(event.getTimeMillis()));
      Message m = new Message();
      org.apache.logging.log4j.message.Message source = event.getMessage();
      if (source instanceof MapMessage<?, ?>) {
        // MapMessage's own text would show secret fields: the logs' rules apply
        String text = owner.text(event);
        m.setMessage(text);
        m.setFormatted(text);
      } else {
        m.setMessage(source.getFormat());
        m.setFormatted(source.getFormattedMessage());
      }
      e.setMessage(m);
      e.setLogger(event.getLoggerName());
      e.setLevel(sentryLevel(event.getLevel().name()));
      Throwable thrown = event.getThrown();
      if (thrown != null) {
        Mechanism mechanism = new Mechanism();
        mechanism.setType(MECHANISM_TYPE);
        e.setThrowable(new ExceptionMechanismException(mechanism, thrown, Thread.currentThread()));
      }
      if (event.getThreadName() != null) {
        e.setExtra("thread_name", event.getThreadName());
      }
      if (event.getMarker() != null) {
        e.setExtra("marker", event.getMarker().toString());
      }
      Map<String, String> context = new HashMap<>(event.getContextData().toMap());
      context.values().removeIf(Objects::isNull);
      if (!context.isEmpty()) {
        LoggerPropertiesUtil.applyPropertiesToEvent(e, ScopesAdapter.getInstance().getOptions().getContextTags(), context, "Context Data");
      }
      return e;
    }
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Attributes of {@code <LookoutSentry>}; each is one {@code lookout.errors.*} setting. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<LookoutSentryAppender> {
    @PluginBuilderAttribute @Required private String name;
    @PluginBuilderAttribute private String eventLevel = "ERROR";
    @PluginBuilderAttribute private String breadcrumbLevel = "INFO";
    @PluginBuilderAttribute private String sampleRate = "1.0";
    @PluginBuilderAttribute private String queueSize = "100";
    @PluginBuilderAttribute private String maskedParameters = "";
    @PluginElement("Filter") private Filter filter;

    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    public Builder setEventLevel(String eventLevel) {
      this.eventLevel = eventLevel;
      return this;
    }

    public Builder setBreadcrumbLevel(String breadcrumbLevel) {
      this.breadcrumbLevel = breadcrumbLevel;
      return this;
    }

    public Builder setSampleRate(String sampleRate) {
      this.sampleRate = sampleRate;
      return this;
    }

    public Builder setQueueSize(String queueSize) {
      this.queueSize = queueSize;
      return this;
    }

    public Builder setMaskedParameters(String maskedParameters) {
      this.maskedParameters = maskedParameters;
      return this;
    }

    public Builder setFilter(Filter filter) {
      this.filter = filter;
      return this;
    }

    @Override
    public LookoutSentryAppender build() {
      ErrorSettings s = null;
      String problem = null;
      try {
        s = ErrorSettings.parse(eventLevel, breadcrumbLevel, sampleRate, queueSize);
      } catch (IllegalArgumentException e) {
        problem = e.getMessage();
      }
      return new LookoutSentryAppender(name, filter, s, problem, LookoutResolverFactories.redactor(), maskedParameters);
    }
  }

  @Override
  public void start() {
    if (problem != null) {
      ErrorTracking.failedToStart(problem);
    } else {
      try {
        SentryTracker t = SentryTracker.start(settings, scrubber);
        if (t != null) {
          tracker = t;
          ErrorTracking.install(t);
          SentryIntegrationPackageStorage.getInstance().addIntegration("Log4j");
          SentryIntegrationPackageStorage.getInstance().addIntegration("Lookout");
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        ErrorTracking.failedToStart(
            "SENTRY_DSN (or the sentry.dsn system property, or dsn in sentry.properties) is not a usable"
                + " Sentry DSN (" + e.getMessage() + "); expected https://<public key>@<host>/<project id>");
      }
    }
    setStarted();
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    SentryTracker t = tracker;
    tracker = null;
    // A reconfiguration starts the new appender before stopping this one: leave its SDK running.
    if (t != null && ErrorTracking.isCurrent(t)) {
      ErrorTracking.webappStopped();
    }
    setStopped();
    return true;
  }

  @Override
  public void append(LogEvent event) {
    SentryTracker t = tracker;
    if (t == null) {
      return;
    }
    try {
      Level level = event.getLevel();
      boolean isEvent = level.isMoreSpecificThan(settings.eventLevel());
      boolean isCrumb = level.isMoreSpecificThan(settings.breadcrumbLevel());
      if (!isEvent && !isCrumb) {
        return;
      }
      RequestErrors r = ErrorTracking.current();
      if (isEvent) {
        Throwable thrown = event.getThrown();
        if (thrown == null || !t.isDuplicate(r, thrown)) {
          capture(t, r, event);
        }
      }
      // Breadcrumbs are a request's: outside one (startup, background threads) none are kept, so an
      // event there carries no stale trail of unrelated lines, and an INFO line there costs nothing.
      if (isCrumb && r != null) {
        r.addCrumb(new RequestErrors.Crumb(event.getTimeMillis(), level.name(), event.getLoggerName(), text(event)));
      }
    } catch (RuntimeException | LinkageError e) {
      ErrorTracking.report(e);
    }
  }

  private void capture(SentryTracker t, RequestErrors r, LogEvent event) {
    SentryEvent e = converter.createEvent(event);
    if (r == null) {
      Hint hint = new Hint();
      hint.set(TypeCheckHint.SENTRY_SYNTHETIC_EXCEPTION, event);
      t.remember(event.getThrown());
      ScopesAdapter.getInstance().captureEvent(e, hint);
    } else if (!r.hold(e)) {
      if (r.isCompleted()) {
        t.sendLate(r, e);
      } else {
        ErrorDropCounters.count(ErrorDropCounters.REQUEST_LIMIT, 1);
      }
    }
  }

  /** The event's text as the JSON log shows it (secret map fields masked); patterns are masked at sending. */
  String text(LogEvent event) {
    org.apache.logging.log4j.message.Message m = event.getMessage();
    if (m instanceof MapMessage<?, ?> map) {
      String explicit = map.get("message");
      String name = map.get("event");
      String fields = redactor.mapText(map);
      return explicit != null ? explicit + " " + fields : name != null ? name + " " + fields : fields;
    }
    return m == null ? "" : m.getFormattedMessage();
  }

  static SentryLevel sentryLevel(String level) {
    return switch (level) {
      case "FATAL" -> SentryLevel.FATAL;
      case "ERROR" -> SentryLevel.ERROR;
      case "WARN" -> SentryLevel.WARNING;
      case "INFO" -> SentryLevel.INFO;
      default -> SentryLevel.DEBUG;
    };
  }
}
