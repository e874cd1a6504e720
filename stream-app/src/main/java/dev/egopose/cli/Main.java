package dev.egopose.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Entry point of {@code egopose}. Sets the JVM-wide settings every command relies on, then dispatches. */
@Command(
        name = "egopose",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Streaming egocentric 3D hand pose: Aria frames on Kafka in, POTTER hand poses out.",
        subcommands = {
            DemoCommand.class, RunCommand.class, BrokerCommand.class, ReplayCommand.class, SinkCommand.class, DlqCommand.class,
            EvaluateCommand.class, SynthCommand.class, RenderCommand.class, BenchCommand.class, CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        JvmDefaults.apply();
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree; tests run commands through this too. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
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
