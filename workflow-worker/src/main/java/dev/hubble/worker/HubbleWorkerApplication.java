package dev.hubble.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The worker process: runs job workflows and their activities, one worker pool per driver task
 * queue ({@code hubble.worker.drivers} picks which).
 */
@SpringBootApplication
public class HubbleWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(HubbleWorkerApplication.class, args);
    }
}
