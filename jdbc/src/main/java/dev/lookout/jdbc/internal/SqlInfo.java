package dev.lookout.jdbc.internal;

/**
 * What Lookout knows of one SQL text: the sanitized statement (literals replaced by {@code ?}),
 * its operation and first table as bounded label values, and the span name. Computed once per
 * distinct text and pool. Internal.
 */
final class SqlInfo {

  /** Longest statement text put in logs and spans; the rest is cut off with {@code …}. */
  static final int MAX_TEXT = 2000;

  /** A plain Statement's batch of different statements. */
  static final SqlInfo MIXED_BATCH = new SqlInfo("BATCH", "OTHER", "", null, "BATCH", "BATCH");

  final String text;
  final String operation; // label value: a known verb or OTHER
  final String table; // the first table the statement names, or "" (capped into a label by DbTelemetry)
  final String collection; // db.collection.name, or null
  final String spanOperation; // db.operation.name, or null
  final String spanName;
  /** The metric series of this statement for the telemetry that last recorded it. */
  volatile DbTelemetry.Series series;

  SqlInfo(String text, String operation, String table, String collection, String spanOperation, String spanName) {
    this.text = text;
    this.operation = operation;
    this.table = table;
    this.collection = collection;
    this.spanOperation = spanOperation;
    this.spanName = spanName;
  }
}
