/** Stands in for the `camel` script of Camel JBang: the command line itself is camel-jbang-core's CamelJBangMain. */
public class CamelLauncher {
    public static void main(String[] args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
