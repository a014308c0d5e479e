package dev.bulwark.spring.support;

import dev.bulwark.Registry;
import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.autoconfigure.BulwarkProperties;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.bulwark.PolicyKind;

/** Binds {@link KillSwitch} through the public SPI. Test-only. */
public final class KillSwitchBinding implements PolicyBinding<KillSwitch, KillSwitchPolicy> {
  private final Registry<KillSwitchPolicy, Boolean> registry =
      Registry.<KillSwitchPolicy, Boolean>builder(Boolean.TRUE, KillSwitchPolicy::new).build();

  @Override
  public PolicyKind kind() {
    return PolicyKind.CIRCUIT_BREAKER;
  }

  @Override
  public String propertyName() {
    return "killswitch";
  }

  @Override
  public Class<KillSwitch> annotationType() {
    return KillSwitch.class;
  }

  @Override
  public String instanceName(KillSwitch annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(KillSwitch annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  public MethodPolicy bind(KillSwitch annotation, Method method, Class<?> targetClass) {
    return MethodPolicy.of(registry.get(annotation.name()));
  }

  @Override
  public Registry<KillSwitchPolicy, ?> registry() {
    return registry;
  }

  @Override
  public void createConfiguredInstances() {}

  @Override
  public boolean reconfigure(BulwarkProperties properties) {
    return false;
  }

  @Override
  public Map<String, Object> describe(KillSwitchPolicy policy) {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("state", policy.isOn() ? "ON" : "OFF");
    description.put("calls", policy.calls());
    return description;
  }

  @Override
  public boolean degraded(KillSwitchPolicy policy) {
    return !policy.isOn();
  }

  @Override
  public List<String> actions() {
    return List.of("on", "off");
  }

  @Override
  public void perform(KillSwitchPolicy policy, String action) {
    switch (action) {
      case "on" -> policy.set(true);
      case "off" -> policy.set(false);
      default -> PolicyBinding.super.perform(policy, action);
    }
  }
}
