package dev.hubble.api;

import dev.hubble.core.startup.Startup;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Hubble's REST API: accepts jobs, answers their status, cancels them, takes error reports from
 * running jobs and serves result files of the local result store. Jobs run in the workers; this
 * application only starts, signals, cancels and queries their workflows.
 */
@SpringBootApplication
public class HubbleApiApplication {

    /** Starts the application, or exits with status 1 and says why when it cannot. */
    public static void main(String[] args) {
        Startup.runOrExit(new SpringApplication(HubbleApiApplication.class), args);
    }
}
