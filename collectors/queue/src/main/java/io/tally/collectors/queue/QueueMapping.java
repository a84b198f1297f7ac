package io.tally.collectors.queue;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * One queue (or a glob of queues, where the broker can list them) and the target it feeds.
 * {@code target: "*"} means it feeds every target.
 */
public class QueueMapping {
    @NotEmpty
    @JsonProperty
    private String name;

    @NotEmpty
    @JsonProperty
    private String target = "*";

    @JsonProperty
    private String priority;

    @Min(1)
    @JsonProperty
    private Long capacity;

    @NotNull
    @Pattern(regexp = "queue|dlq", message = "must be queue or dlq")
    @JsonProperty
    private String role = "queue";

    public QueueMapping() {
    }

    public QueueMapping(String name, String target, String priority, Long capacity, String role) {
        this.name = name;
        this.target = target;
        this.priority = priority;
        this.capacity = capacity;
        this.role = role;
    }

    public String name() {
        return name;
    }

    public String target() {
        return target;
    }

    /** The priority label; empty when none was given. */
    public String priority() {
        return priority == null ? "" : priority;
    }

    public Long capacity() {
        return capacity;
    }

    public String role() {
        return role;
    }

    public boolean isPattern() {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0;
    }

    /** The same mapping for one queue a pattern matched. */
    QueueMapping resolved(String queue) {
        return new QueueMapping(queue, target, priority, capacity, role);
    }
}
