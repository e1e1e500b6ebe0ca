package dev.hubble.worker;

import dev.hubble.core.startup.Startup;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker process: runs job workflows and their activities, one worker pool per driver task
 * queue ({@code hubble.worker.drivers} picks which).
 */
@SpringBootApplication
public class HubbleWorkerApplication {

    /** Starts the application, or exits with status 1 and says why when it cannot. */
    public static void main(String[] args) {
        Startup.runOrExit(new SpringApplication(HubbleWorkerApplication.class), args);
    }
}
