package io.thermocline.playground.demo;

import io.thermocline.common.row.BinaryString;
import io.thermocline.common.row.GenericRow;
import io.thermocline.common.row.TimestampLtz;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.BitSet;
import java.util.Random;

/**
 * A shop's workload, the same for the same seed: each order is appended to {@code orders} and
 * takes its quantity from the product's stock in {@code inventory} (restocked when it runs low);
 * now and then a customer changes tier, and a few customers are deleted and come back later.
 */
public final class DemoWorkload {
    static final int CUSTOMERS = 1_000;
    public static final int PRODUCTS = 100;
    public static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
    private static final String[] FIRST = {"Ada", "Ben", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ivo",
        "Jun", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"};
    private static final String[] LAST = {"Alvarez", "Berg", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad",
        "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Patel", "Rossi", "Sato", "Tan", "Weber"};
    private static final String[] CITIES = {"Berlin", "Lisbon", "Lagos", "Osaka", "Austin", "Toronto", "Pune",
        "Krakow", "Lyon", "Seoul"};
    private static final String[] ADJECTIVES = {"Compact", "Rugged", "Silent", "Smart", "Classic", "Eco", "Pro",
        "Mini", "Ultra", "Travel"};
    private static final String[] THINGS = {"Kettle", "Lamp", "Backpack", "Speaker", "Blender", "Drill", "Jacket",
        "Monitor", "Tent", "Keyboard"};
    private static final int LOW_STOCK = 10;
    private static final int RESTOCK = 500;

    /** Where the workload's changes go. */
    public interface Sink {
        void order(GenericRow order);

        void upsertCustomer(GenericRow customer);

        void deleteCustomer(GenericRow customer);

        void upsertInventory(GenericRow item);
    }

    private final Random random;
    private final Sink sink;
    private final int[] stock = new int[PRODUCTS];
    private final BigDecimal[] prices = new BigDecimal[PRODUCTS];
    private final int[] tiers = new int[CUSTOMERS];
    private final BitSet deleted = new BitSet(CUSTOMERS);
    private long nextOrderId;
    private long orders;
    private long customerChanges;
    private long customerDeletes;
    private long inventoryChanges;

    public DemoWorkload(long seed, long firstOrderId, Sink sink) {
        this.random = new Random(seed);
        this.sink = sink;
        this.nextOrderId = firstOrderId;
    }

    /** Every customer and product, as the tables start (or start again: upserts are idempotent). */
    public void seed() {
        long now = System.currentTimeMillis();
        for (int id = 0; id < CUSTOMERS; id++) {
            tiers[id] = random.nextInt(TIERS.length);
            sink.upsertCustomer(customer(id, now));
        }
        for (int p = 0; p < PRODUCTS; p++) {
            stock[p] = RESTOCK;
            prices[p] = BigDecimal.valueOf(100 + random.nextInt(19_900), 2);
            sink.upsertInventory(item(p, now));
        }
    }

    /** One order and the changes it causes. */
    public void next() {
        long now = System.currentTimeMillis();
        int customer = random.nextInt(CUSTOMERS);
        int product = random.nextInt(PRODUCTS);
        int quantity = 1 + random.nextInt(5);
        BigDecimal amount = prices[product].multiply(BigDecimal.valueOf(quantity)).setScale(2, RoundingMode.UNNECESSARY);
        sink.order(GenericRow.of(nextOrderId++, customer + 1, BinaryString.fromString(sku(product)), quantity, amount,
                TimestampLtz.fromEpochMillis(now)));
        orders++;
        stock[product] -= quantity;
        if (stock[product] < LOW_STOCK) {
            stock[product] = RESTOCK;
        }
        sink.upsertInventory(item(product, now));
        inventoryChanges++;
        if (orders % 10 == 0) {
            int id = random.nextInt(CUSTOMERS);
            tiers[id] = random.nextInt(TIERS.length);
            deleted.clear(id); // an update of a deleted customer brings it back
            sink.upsertCustomer(customer(id, now));
            customerChanges++;
        }
        if (orders % 50 == 0) {
            int id = random.nextInt(CUSTOMERS);
            if (!deleted.get(id)) {
                deleted.set(id);
                sink.deleteCustomer(customer(id, now));
                customerDeletes++;
            }
        }
    }

    private GenericRow customer(int id, long now) {
        return GenericRow.of(id + 1, BinaryString.fromString(FIRST[id % FIRST.length] + " " + LAST[(id / FIRST.length)
                        % LAST.length]), BinaryString.fromString(TIERS[tiers[id]]),
                BinaryString.fromString(CITIES[(id * 7) % CITIES.length]), TimestampLtz.fromEpochMillis(now));
    }

    private GenericRow item(int product, long now) {
        return GenericRow.of(BinaryString.fromString(sku(product)), BinaryString.fromString(
                        ADJECTIVES[product % ADJECTIVES.length] + " " + THINGS[product / ADJECTIVES.length % THINGS.length]),
                stock[product], prices[product], TimestampLtz.fromEpochMillis(now));
    }

    static String sku(int product) {
        return String.format("SKU-%04d", product + 1);
    }

    long orders() {
        return orders;
    }

    long customerChanges() {
        return customerChanges;
    }

    long customerDeletes() {
        return customerDeletes;
    }

    long inventoryChanges() {
        return inventoryChanges;
    }
}
