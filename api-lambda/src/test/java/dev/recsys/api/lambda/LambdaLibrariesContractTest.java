package dev.recsys.api.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recsys.common.contract.Contract;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.common.internal.LambdaConstants;

/**
 * The contract's {@code environment.lambda_libraries} names what Powertools itself reads (modules/lambda-function sets it
 * on both functions): a name the library does not read would leave every log line and metric document with
 * "service_undefined".
 */
class LambdaLibrariesContractTest {

    @Test
    void theServiceNameVariableIsTheOnePowertoolsReads() {
        assertThat(Contract.get().environment().lambdaLibraries().name("powertools_service_name"))
                .isEqualTo(LambdaConstants.POWERTOOLS_SERVICE_NAME);
    }
}
