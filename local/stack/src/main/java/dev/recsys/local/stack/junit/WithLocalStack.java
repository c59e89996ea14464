package dev.recsys.local.stack.junit;

import dev.recsys.local.stack.Service;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts one {@link dev.recsys.local.stack.LocalStack} for the annotated test class (shared by its nested
 * classes), injects it into constructors, lifecycle and test methods, and closes it after the class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(LocalStackExtension.class)
public @interface WithLocalStack {

    Service[] services() default {Service.KINESIS, Service.DYNAMODB, Service.S3, Service.REDIS};
}
