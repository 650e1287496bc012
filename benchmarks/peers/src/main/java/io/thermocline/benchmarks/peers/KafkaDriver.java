package io.thermocline.benchmarks.peers;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/** Kafka's side: its Java client with its defaults, acks=all and a 5 ms linger like Thermocline's writer. */
final class KafkaDriver {
    private final PeerDriver.Workload workload;

    KafkaDriver(PeerDriver.Workload workload) {
        this.workload = workload;
    }

    DriverResult run(String scenario) throws Exception {
        createTopic();
        return switch (scenario) {
            case "append" -> append();
            case "latency" -> latency();
            case "projection" -> fullRead();
            default -> throw new IllegalArgumentException("Unknown scenario " + scenario);
        };
    }

    private void createTopic() throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", workload.bootstrap());
        try (AdminClient admin = AdminClient.create(props)) {
            admin.createTopics(List.of(new NewTopic(workload.table(), workload.buckets(), (short) workload.rf())))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", workload.bootstrap());
        props.put("acks", "all");
        props.put("linger.ms", "5");
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put("bootstrap.servers", workload.bootstrap());
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        props.put("fetch.max.wait.ms", "100");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = IntStream.range(0, workload.buckets())
                .mapToObj(p -> new TopicPartition(workload.table(), p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private DriverResult append() throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long start = System.nanoTime();
            for (long i = 0; i < workload.rows(); i++) {
                producer.send(new ProducerRecord<>(workload.table(), BenchRow.encode(i, BenchRow.longAt(i, 0))),
                        (metadata, error) -> {
                            if (error != null) {
                                failure.compareAndSet(null, error);
                            }
                        });
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw failure.get();
            }
            return new DriverResult().put("rows", workload.rows()).put("seconds", seconds)
                    .put("rows_per_s", workload.rows() / seconds);
        }
    }

    private DriverResult latency() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            return LatencyRun.run(workload.rate(), workload.seconds(), () -> {
                KafkaConsumer<byte[], byte[]> consumer = consumer();
                return new LatencyRun.Reader() {
                    @Override
                    public long[] poll() {
                        return java.util.stream.StreamSupport.stream(consumer.poll(Duration.ofMillis(100)).spliterator(),
                                false).mapToLong(record -> BenchRow.firstLong(record.value())).toArray();
                    }

                    @Override
                    public void close() {
                        consumer.close();
                    }
                };
            }, new RowWriter() {
                @Override
                public void write(long index, long sentNanos) {
                    producer.send(new ProducerRecord<>(workload.table(), BenchRow.encode(index, sentNanos)));
                }

                @Override
                public void flush() {
                    producer.flush();
                }
            });
        }
    }

    /** Kafka cannot project: a consumer reads whole rows. */
    private DriverResult fullRead() throws Exception {
        append();
        return ReadRun.run(workload.rows(), workload.passes(), BenchRow.COLUMNS, () -> {
            KafkaConsumer<byte[], byte[]> consumer = consumer();
            return new ReadRun.Reader() {
                @Override
                public long poll() {
                    return consumer.poll(Duration.ofMillis(100)).count();
                }

                @Override
                public void close() {
                    consumer.close();
                }
            };
        });
    }
}
