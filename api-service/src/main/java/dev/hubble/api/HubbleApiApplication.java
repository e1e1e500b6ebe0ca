package dev.hubble.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Hubble's REST API: accepts jobs, answers their status, cancels them, takes error reports from
 * running jobs and serves result files of the local result store. Jobs run in the workers; this
 * application only starts, signals, cancels and queries their workflows.
 */
@SpringBootApplication
public class HubbleApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(HubbleApiApplication.class, args);
    }
}
