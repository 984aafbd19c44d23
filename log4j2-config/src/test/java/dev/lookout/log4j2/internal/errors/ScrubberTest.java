package dev.lookout.log4j2.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.log4j2.internal.Redactor;
import io.sentry.Breadcrumb;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;
import io.sentry.protocol.User;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrubberTest {

  final Scrubber scrubber = new Scrubber(new Redactor(Redactor.DEFAULT_KEYS, true), "token,password,key");

  @Test
  void masksMaskedQueryParametersInsideAnyText() {
    assertThat(scrubber.maskParameters("GET /a?token=abc&page=2 done")).isEqualTo("GET /a?token=[REDACTED]&page=2 done");
    assertThat(scrubber.maskParameters("x?api_key=1;password=2#f")).isEqualTo("x?api_key=[REDACTED];password=[REDACTED]#f");
    assertThat(scrubber.maskParameters("a=b c?page=1")).isEqualTo("a=b c?page=1");
    assertThat(scrubber.maskParameters("?token=[REDACTED]")).isEqualTo("?token=[REDACTED]");
    assertThat(scrubber.query("token=x&a=1")).isEqualTo("token=[REDACTED]&a=1");
  }

  @Test
  @SuppressWarnings("unchecked")
  void scrubsEveryPartOfAnEvent() {
    SentryEvent e = new SentryEvent();
    Message m = new Message();
    m.setFormatted("calling /cb?token=t0k with Bearer abcdefgh12345678");
    m.setMessage("calling {} with {}");
    m.setParams(List.of("/cb?token=t0k", "Bearer abcdefgh12345678"));
    e.setMessage(m);
    SentryException x = new SentryException();
    x.setValue("card 4111 1111 1111 1111 and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln");
    e.setExceptions(List.of(x));
    e.setTag("session_id", "s1");
    e.setTag("endpoint", "/api/x");
    e.setExtra("password", "p");
    e.getContexts().put("Context Data", Map.of("api_key", "k", "request_id", "r1"));
    Request r = new Request();
    r.setHeaders(Map.of("Authorization", "Basic xyz", "Cookie", "a=b", "Set-Cookie", "c=d", "Accept", "text/plain"));
    r.setCookies("a=b");
    r.setQueryString("token=q&x=1");
    e.setRequest(r);
    User u = new User();
    u.setId("u1");
    u.setEmail("a@b.c");
    u.setIpAddress("1.2.3.4");
    e.setUser(u);
    Breadcrumb b = new Breadcrumb("login ?password=pw");
    b.setData("cookie", "x");
    e.setBreadcrumbs(List.of(b));

    scrubber.scrub(e);

    assertThat(e.getMessage().getFormatted()).isEqualTo("calling /cb?token=[REDACTED] with Bearer [REDACTED]");
    assertThat(e.getMessage().getParams()).isNull();
    assertThat(e.getExceptions().get(0).getValue()).doesNotContain("4111").doesNotContain("eyJ");
    assertThat(e.getTags()).containsEntry("session_id", "[REDACTED]").containsEntry("endpoint", "/api/x");
    assertThat(e.getExtras()).containsEntry("password", "[REDACTED]");
    assertThat((Map<String, Object>) e.getContexts().get("Context Data")).containsEntry("api_key", "[REDACTED]").containsEntry("request_id", "r1");
    assertThat(e.getRequest().getHeaders()).containsOnlyKeys("Accept");
    assertThat(e.getRequest().getCookies()).isNull();
    assertThat(e.getRequest().getQueryString()).isEqualTo("token=[REDACTED]&x=1");
    assertThat(e.getUser().getId()).isEqualTo("u1");
    assertThat(e.getUser().getEmail()).isNull();
    assertThat(e.getUser().getIpAddress()).isNull();
    assertThat(e.getBreadcrumbs().get(0).getMessage()).isEqualTo("login ?password=[REDACTED]");
    assertThat(e.getBreadcrumbs().get(0).getData()).containsEntry("cookie", "[REDACTED]");
  }
}
