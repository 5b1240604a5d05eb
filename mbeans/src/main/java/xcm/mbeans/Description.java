package xcm.mbeans;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text JConsole, VisualVM and Jolokia's {@code list} show for an MXBean, one of its attributes
 * (put it on the getter) or operations. {@link DescribedMXBean} reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Description {
  String value();
}
