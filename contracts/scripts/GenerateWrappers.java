import java.io.File;
import java.util.Arrays;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * Build step: generates one web3j wrapper per compiled contract. Run by the contracts module with
 * the codegen jar on the class path, as a single-file Java program, so that no extra module is
 * needed just to host the generator.
 */
public final class GenerateWrappers {
    public static void main(String[] args) throws Exception {
        File solcDir = new File(args[0]);
        File outDir = new File(args[1]);
        String pkg = args[2];
        File[] abis = solcDir.listFiles((d, n) -> n.endsWith(".abi"));
        if (abis == null || abis.length == 0) {
            throw new IllegalStateException("no ABI files in " + solcDir);
        }
        Arrays.sort(abis);
        for (File abi : abis) {
            String name = abi.getName().substring(0, abi.getName().length() - 4);
            File bin = new File(solcDir, name + ".bin");
            new SolidityFunctionWrapperGenerator(bin, abi, outDir, name, pkg, true, false, 20).generate();
        }
        System.out.println("web3j codegen: " + abis.length + " wrapper(s) in " + outDir);
    }
}
