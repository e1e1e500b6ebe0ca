package dev.hubble.core.startup;

/**
 * An application cannot start because of something the operator can change: the message says
 * what is wrong and {@link #setting()} which setting to change. {@link SettingFailureAnalyzer}
 * turns it into a start-up report without a stack trace.
 */
public class StartupException extends RuntimeException {

    private final String setting;
    private final String action;

    /**
     * @param message what is wrong, e.g. "port 7233 on 127.0.0.1 (Temporal) is in use"
     * @param setting the property to change, e.g. {@code hubble.dev.temporal-port}
     * @param action what to set it to, e.g. "to a free port (0 picks one)"
     * @param cause the failure behind it, logged at debug level only
     */
    public StartupException(String message, String setting, String action, Throwable cause) {
        super(message, cause);
        this.setting = setting;
        this.action = action;
    }

    /** The property to change. */
    public String setting() {
        return setting;
    }

    /** The whole advice: "Set {@code <setting>} <action>." */
    public String advice() {
        return "Set " + setting + " " + action + ".";
    }
}
