package dev.recsys.local;

import java.util.Arrays;
import java.util.List;

/** The {@code recsys} command: {@code up} runs the whole system offline. */
public final class RecsysCommand {

    private RecsysCommand() {}

    public static void main(String[] args) throws Exception {
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        String command = args.length == 0 ? "help" : args[0];
        switch (command) {
            case "up" -> {
                if (UpOptions.wantsHelp(rest)) {
                    System.out.println(UpOptions.USAGE);
                    return;
                }
                UpOptions options;
                try {
                    options = UpOptions.parse(rest);
                } catch (IllegalArgumentException e) {
                    System.err.println(e.getMessage());
                    System.exit(2);
                    return;
                }
                LocalSystem system = new LocalSystem(options, System.out);
                int status = system.run();
                // After Ctrl-C the JVM is already exiting: System.exit would wait for the hook that waits for us.
                if (!system.stoppedByCtrlC()) System.exit(status);
            }
            case "help", "--help", "-h" -> System.out.println(UpOptions.USAGE);
            default -> {
                System.err.println("unknown command " + command + "\n" + UpOptions.USAGE);
                System.exit(2);
            }
        }
    }
}
