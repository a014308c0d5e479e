package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Registry;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/** The condition behind {@link ConditionalOnMissingRegistry}. */
class OnMissingRegistryCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnMissingRegistry.class.getName(),
        true);
    if (attributes == null || context.getBeanFactory() == null) {
      return ConditionOutcome.match();
    }
    ClassLoader loader = context.getClassLoader();
    Class<?> policy = ClassUtils.resolveClassName((String) attributes.get("policy"), loader);
    Class<?> config = ClassUtils.resolveClassName((String) attributes.get("config"), loader);
    ResolvableType type = ResolvableType.forClassWithGenerics(Registry.class, policy, config);
    String[] names = context.getBeanFactory().getBeanNamesForType(type, true, false);
    return names.length == 0
        ? ConditionOutcome.match("no " + type + " bean")
        : ConditionOutcome.noMatch("the application declares " + type + ": " + Arrays.toString(names));
  }
}
