package dev.lookout.example;

/** An order as the API shows it. */
public class Order {
  public long id;
  public String item;
  public int quantity;

  public Order() {}

  public Order(long id, String item, int quantity) {
    this.id = id;
    this.item = item;
    this.quantity = quantity;
  }
}
