package dev.recsys.local.stack.junit;

import dev.recsys.local.stack.LocalStack;
import dev.recsys.local.stack.StackOptions;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link LocalStack} parameters. The stack is started on first use, kept in the outermost test
 * class's store (one stack per class) and closed by JUnit when that class is done. Services come from
 * {@link WithLocalStack} on the class or an enclosing class; without it, all services start.
 */
public final class LocalStackExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext owner = outermostClassContext(context);
        Class<?> testClass = owner.getRequiredTestClass();
        // LocalStack is AutoCloseable: JUnit closes it when the owning class context ends.
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(testClass,
                c -> LocalStack.start(optionsFor(context.getTestClass())), LocalStack.class);
    }

    private static ExtensionContext outermostClassContext(ExtensionContext context) {
        ExtensionContext owner = context;
        while (owner.getParent().isPresent() && owner.getParent().get().getTestClass().isPresent()) {
            owner = owner.getParent().get();
        }
        return owner;
    }

    static StackOptions optionsFor(Optional<Class<?>> testClass) {
        for (Class<?> c = testClass.orElse(null); c != null; c = c.getEnclosingClass()) {
            WithLocalStack annotation = c.getAnnotation(WithLocalStack.class);
            if (annotation != null) {
                return StackOptions.of(annotation.services());
            }
        }
        return StackOptions.all();
    }
}
