import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `helm lint` and `helm template` through helm-java (Helm 3 embedded as a native library).
 *
 *   java -cp 'LIBS/*' HelmRunner.java lint CHART [--strict]
 *   java -cp 'LIBS/*' HelmRunner.java template CHART [--name NAME] [--namespace NS] [--kube-version V] [-f VALUES]...
 *
 * lint prints Helm's messages, one per line, and exits 1 when the chart fails; template prints
 * the rendered manifests (hooks included) and exits 1 with Helm's error on stderr when
 * rendering fails. Usage errors exit 2. Called by scripts/helm.mjs.
 */
public final class HelmRunner {
  private HelmRunner() {}

  public static void main(String[] args) {
    try {
      System.exit(run(args));
    } catch (IllegalArgumentException e) {
      System.err.println("helm-runner: " + e.getMessage());
      System.exit(2);
    } catch (RuntimeException e) {
      System.err.println("helm-runner: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      System.exit(1);
    }
  }

  private static int run(String[] args) {
    if (args.length < 2) throw new IllegalArgumentException("usage: lint CHART [--strict] | template CHART [--name N] [--namespace NS] [--kube-version V] [-f VALUES]...");
    String command = args[0];
    Helm helm = new Helm(Path.of(args[1]));
    List<Path> valuesFiles = new ArrayList<>();
    String name = "remote-help";
    String namespace = null;
    String kubeVersion = null;
    boolean strict = false;
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--strict" -> strict = true;
        case "-f", "--values" -> valuesFiles.add(Path.of(value(args, ++i)));
        case "--name" -> name = value(args, ++i);
        case "--namespace" -> namespace = value(args, ++i);
        case "--kube-version" -> kubeVersion = value(args, ++i);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    switch (command) {
      case "lint": {
        if (!valuesFiles.isEmpty()) throw new IllegalArgumentException("lint takes no values files (helm-java lints the chart's own values)");
        LintCommand lint = helm.lint();
        if (strict) lint = lint.strict();
        LintResult result = lint.call();
        for (String message : result.getMessages()) System.out.println(message);
        return result.isFailed() ? 1 : 0;
      }
      case "template": {
        TemplateCommand template = helm.template().withName(name);
        if (namespace != null) template = template.withNamespace(namespace);
        if (kubeVersion != null) template = template.withKubeVersion(kubeVersion);
        for (Path file : valuesFiles) template = template.withValuesFile(file);
        System.out.print(template.call());
        return 0;
      }
      default:
        throw new IllegalArgumentException("unknown command " + command + " (lint, template)");
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
    return args[i];
  }
}
