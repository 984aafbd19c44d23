package dev.lookout.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.instrumentation.api.incubator.semconv.db.SqlDialect;
import org.junit.jupiter.api.Test;

/** Operation and table labels stay bounded and no literal ever reaches a label, a log or a span. */
class SqlAnalysisTest {

  static SqlInfo analyze(String sql) {
    return Pool.analyzeUncached(sql, SqlDialect.DOUBLE_QUOTES_ARE_STRING_LITERALS);
  }

  @Test
  void verbAndFirstTable() {
    SqlInfo s = analyze("select o.id from orders o join items i on i.order_id = o.id where o.id = 7");
    assertThat(s.operation).isEqualTo("SELECT");
    assertThat(s.table).isEqualTo("");
    assertThat(s.text).isEqualTo("select o.id from orders o join items i on i.order_id = o.id where o.id = ?");
    assertThat(analyze("INSERT INTO orders (item) VALUES ('x')").table).isEqualTo("orders");
    assertThat(analyze("UPDATE orders SET item = 'y'").operation).isEqualTo("UPDATE");
    assertThat(analyze("DELETE FROM orders WHERE id = 1").spanName).isEqualTo("DELETE orders");
    assertThat(analyze("{call refresh_totals(?, 'x')}").operation).isEqualTo("CALL");
    assertThat(analyze("CREATE TABLE t (id INT)").operation).isEqualTo("CREATE");
  }

  @Test
  void secretsInStringLiteralsNeverLeak() {
    SqlInfo s = analyze("UPDATE users SET password = 'hunter2', token = \"abc123\" WHERE email = 'a@b.c'");
    assertThat(s.text).doesNotContain("hunter2").doesNotContain("abc123").doesNotContain("a@b.c");
    assertThat(s.operation).isEqualTo("UPDATE");
    assertThat(s.table).isEqualTo("users");
  }

  @Test
  void commentsAreNotLabels() {
    SqlInfo s = analyze("/* user=alice secret='pw' */ SELECT * FROM orders -- trailing 'x'\n WHERE id = 3");
    assertThat(s.operation).isEqualTo("SELECT");
    assertThat(s.table).isEqualTo("orders");
    assertThat(s.text).doesNotContain("pw").doesNotContain("'x'");
  }

  @Test
  void hugeInListsCollapseAndTextIsBounded() {
    StringBuilder sql = new StringBuilder("SELECT * FROM orders WHERE id IN (");
    for (int i = 0; i < 50_000; i++) {
      sql.append(i).append(',');
    }
    sql.append("0) AND item = '").append("x".repeat(10_000)).append("'");
    SqlInfo s = analyze(sql.toString());
    assertThat(s.operation).isEqualTo("SELECT");
    assertThat(s.table).isEqualTo("orders");
    assertThat(s.text.length()).isLessThanOrEqualTo(SqlInfo.MAX_TEXT);
    assertThat(s.text).doesNotContain("49999").doesNotContain("xxx");
  }

  @Test
  void unparseableSqlIsOtherAndKeepsNoLiteral() {
    SqlInfo s = analyze("garbage ((( 'unterminated secret");
    assertThat(s.operation).isEqualTo("OTHER");
    assertThat(s.table).isEqualTo("");
    assertThat(s.text).doesNotContain("secret");
    assertThat(analyze("").operation).isEqualTo("OTHER");
    assertThat(analyze("SHUTDOWN").operation).isEqualTo("OTHER");
    assertThat(analyze("EXPLAIN ANALYZE SELECT 1").operation).isIn("OTHER", "SELECT");
  }

  @Test
  void operationLabelsAreAFixedSet() {
    for (String sql :
        new String[] {"VACUUM orders", "GRANT ALL ON orders TO bob", "SET search_path = 'x'", "LOCK TABLE orders", "PRAGMA foo"}) {
      assertThat(analyze(sql).operation)
          .as(sql)
          .isIn("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "CALL", "CREATE", "ALTER", "DROP", "TRUNCATE",
              "REPLACE", "UPSERT", "EXECUTE", "COMMIT", "ROLLBACK", "OTHER");
    }
  }
}
