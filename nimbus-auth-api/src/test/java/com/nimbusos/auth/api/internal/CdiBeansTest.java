package com.nimbusos.auth.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The annotation instances {@link CdiBeans#annotation} makes (qualifiers of libraries the api
 * module does not compile against) are interchangeable with the JDK's own, as CDI containers
 * compare qualifiers.
 */
class CdiBeansTest {

  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Sample {
    RetentionPolicy policy();

    String name() default "default";

    String[] tags() default {};

    int[] sizes() default {1, 2};
  }

  @Sample(
      policy = RetentionPolicy.RUNTIME,
      tags = {"a", "b"})
  static final class Annotated {}

  @Test
  void equalsAndHashesLikeTheJdksInstanceOfTheSameValues() {
    Annotation real = Annotated.class.getAnnotation(Sample.class);
    Annotation made =
        CdiBeans.annotation(
            Sample.class,
            Map.of("policy", RetentionPolicy.RUNTIME, "tags", new String[] {"a", "b"}));
    assertEquals(real, made);
    assertEquals(made, real);
    assertEquals(real.hashCode(), made.hashCode());
    assertEquals(Sample.class, made.annotationType());
    assertEquals("default", ((Sample) made).name(), "an omitted member takes its default");
  }

  @Test
  void differsWhenAMemberDiffers() {
    Annotation real = Annotated.class.getAnnotation(Sample.class);
    Annotation other =
        CdiBeans.annotation(
            Sample.class, Map.of("policy", RetentionPolicy.CLASS, "tags", new String[] {"a", "b"}));
    assertNotEquals(real, other);
    assertNotEquals(other, real);
  }

  @Test
  void handsOutCopiesOfArrayMembers() {
    Sample made =
        (Sample)
            CdiBeans.annotation(
                Sample.class,
                Map.of("policy", RetentionPolicy.RUNTIME, "tags", new String[] {"a"}));
    made.tags()[0] = "changed";
    made.sizes()[0] = 99;
    assertArrayEquals(new String[] {"a"}, made.tags());
    assertArrayEquals(new int[] {1, 2}, made.sizes());
    assertNotSame(made.tags(), made.tags());
  }
}
