package dev.hubble.core.config;

import jakarta.validation.Valid;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The drivers this installation knows ({@code hubble.drivers.<driver>.*}). The API accepts jobs
 * for the enabled ones; a worker serves those of them its {@code hubble.worker.drivers} names.
 */
@Validated
@ConfigurationProperties("hubble")
public record DriversProperties(Map<String, @Valid DriverProperties> drivers) {

    public DriversProperties {
        drivers = drivers == null ? Map.of() : Map.copyOf(drivers);
    }

    /** The names of the enabled drivers, sorted. */
    public SortedSet<String> enabled() {
        SortedSet<String> names = new TreeSet<>();
        drivers.forEach((name, driver) -> {
            if (driver.enabled()) {
                names.add(name);
            }
        });
        return names;
    }

    /** The settings of an enabled driver. */
    public DriverProperties driver(String name) {
        DriverProperties driver = drivers.get(name);
        if (driver == null || !driver.enabled()) {
            throw new IllegalArgumentException("driver " + name + " is not enabled; enabled: " + enabled());
        }
        return driver;
    }
}
