package dev.lookout.example.warehouse;

import java.util.logging.Level;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands for the third-party client libraries an application uses: like them, it logs through
 * whatever API its authors chose — {@code java.util.logging}, SLF4J, Commons Logging — and the
 * application does nothing about it. Every one of these lines still arrives as one JSON object,
 * with the request's fields.
 */
public final class Warehouse {

  private static final java.util.logging.Logger JUL = java.util.logging.Logger.getLogger("warehouse.jul");
  private static final Logger SLF4J = LoggerFactory.getLogger("warehouse.slf4j");
  private static final Log JCL = LogFactory.getLog("warehouse.jcl");

  /** Reserves stock for an order; details at FINE, a warning (JUL) when the stock runs low. */
  public int reserve(long orderId, int quantity) {
    JUL.log(Level.FINE, "reserving {0} for order {1}", new Object[] {quantity, orderId});
    SLF4J.atInfo().setMessage("stock_reserved").addKeyValue("order_id", orderId).addKeyValue("quantity", quantity).log();
    int left = 5 - quantity;
    if (left < 3) {
      JUL.log(Level.WARNING, "stock low after reserving for order {0}: {1} left", new Object[] {orderId, left});
    }
    return left;
  }

  /** Books the parcel with the carrier. */
  public String ship(long orderId) {
    JCL.info("parcel booked for order " + orderId);
    return "parcel-" + orderId;
  }
}
