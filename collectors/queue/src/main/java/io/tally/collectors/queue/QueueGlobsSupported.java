package io.tally.collectors.queue;

import com.fasterxml.jackson.annotation.JsonTypeName;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * A queue name may be a glob only where the broker can list queues. Checked with config.yml, so a
 * glob the broker cannot expand stops start-up with the key that holds it
 * ({@code queues[0].queues[1].name}) instead of failing every poll.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = QueueGlobsSupported.Check.class)
public @interface QueueGlobsSupported {
    String message() default "queue name globs need a broker that can list queues";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** One violation per offending mapping, on its {@code name}. */
    final class Check implements ConstraintValidator<QueueGlobsSupported, QueueFactory> {
        @Override
        public boolean isValid(QueueFactory factory, ConstraintValidatorContext context) {
            if (factory == null || factory.canListQueues()) {
                return true;
            }
            List<QueueMapping> mappings = factory.mappings();
            boolean valid = true;
            context.disableDefaultConstraintViolation();
            JsonTypeName type = factory.getClass().getAnnotation(JsonTypeName.class);
            String broker = type == null ? factory.getClass().getSimpleName() : type.value();
            for (int i = 0; i < mappings.size(); i++) {
                QueueMapping mapping = mappings.get(i);
                if (mapping == null || mapping.name() == null || !mapping.isPattern()) {
                    continue;
                }
                valid = false;
                String message = broker + " cannot expand globs ('" + mapping.name()
                        + "'): it cannot list queues, so name each queue";
                context.buildConstraintViolationWithTemplate(literal(message))
                        .addPropertyNode("queues").addPropertyNode("name").inIterable().atIndex(i)
                        .addConstraintViolation();
            }
            return valid;
        }

        /** Escapes what a message template would interpret: a queue name is text, not an expression. */
        private static String literal(String text) {
            return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
