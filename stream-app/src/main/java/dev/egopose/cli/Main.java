package dev.egopose.cli;

import dev.egopose.config.SettingsException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * Entry point of {@code egopose}. Sets the JVM-wide settings every command relies on, then dispatches.
 * Exit codes: 0 done, 1 the command failed at run time, 2 bad usage or a bad setting. Either kind of
 * error is one line on stderr; {@code --verbose} adds the stack trace.
 */
@Command(
        name = "egopose",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Streaming egocentric 3D hand pose: Aria frames on Kafka in, POTTER hand poses out.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:failed while running (broker unreachable, Kafka Streams in ERROR...)", "2:bad usage or bad setting"},
        subcommands = {
            DemoCommand.class, RunCommand.class, BrokerCommand.class, ReplayCommand.class, SinkCommand.class, DlqCommand.class, HandBoxesCommand.class, IngestCommand.class, ViewCommand.class,
            EvaluateCommand.class, SynthCommand.class, RenderCommand.class, BenchCommand.class, ConfigCommand.class, DetectCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Columns of --help: the width the descriptions are written for. */
    static final int USAGE_WIDTH = 120;

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "On an error, print its stack trace too (broker: also the broker's INFO logs).")
    boolean verbose;

    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests run commands through this too. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cli = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
        // The commands' descriptions are written in lines of up to 120 columns; at picocli's default 80 each
        // of them wrapped again mid-sentence. -Dpicocli.usage.width still overrides.
        if (System.getProperty("picocli.usage.width") == null) {
            cli.setUsageHelpWidth(USAGE_WIDTH);
        }
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            PrintWriter err = command.getErr();
            err.println(name(command) + ": " + oneLine(e));
            if (main.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return e instanceof SettingsException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println(name(command) + ": " + e.getMessage() + " (see: " + command.getCommandSpec().qualifiedName() + " --help)");
            if (main.verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        return cli;
    }

    /** A command's name under egopose, e.g. {@code bench detector} (the leaf alone, "detector", reads like "detect"). */
    static String name(CommandLine command) {
        String qualified = command.getCommandSpec().qualifiedName();
        String root = command.getCommandSpec().root().name() + " ";
        return qualified.startsWith(root) ? qualified.substring(root.length()) : qualified;
    }

    /** The error's message and, when it adds something, its root cause's, on one line. */
    static String oneLine(Throwable e) {
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + root.getMessage() + ")";
        }
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"egopose " + (v == null ? "(development build)" : v)};
        }
    }
}
