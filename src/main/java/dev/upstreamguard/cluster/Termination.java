package dev.upstreamguard.cluster;

/**
 * How a container of a live pod last ended ({@code lastState.terminated}, or {@code state.terminated} while it is down):
 * the why of a CrashLoopBackOff. {@code OOMKilled} / 137 is the memory limit; {@code Error} / 1 the process failing.
 *
 * @param container the container's name
 * @param reason    the kubelet's reason ({@code OOMKilled}, {@code Error}, {@code Completed} ...), or null
 * @param exitCode  the exit code
 */
public record Termination(String container, String reason, int exitCode) {

    /** {@code OOMKilled (exit 137)}. */
    public String describe() {
        return (reason == null ? "terminated" : reason) + " (exit " + exitCode + ")";
    }
}
