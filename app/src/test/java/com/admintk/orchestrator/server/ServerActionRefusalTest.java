package com.admintk.orchestrator.server;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.http.HttpStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a lifecycle's refusal of an Update reads to an API client: always 409, the refusal's type as the code. */
class ServerActionRefusalTest {

    private static final WorkflowExecution RUN = WorkflowExecution.newBuilder()
            .setWorkflowId("server:srv-ord_" + "a".repeat(24)).setRunId("run").build();

    @Test
    void eachKnownRefusalIsA409WithItsTypeAsTheCodeAndTheLifecyclesSentence() {
        for (String type : ServerService.REFUSALS) {
            ApiException answer = ServerService.refusal(refused("changePlan",
                    ApplicationFailure.newNonRetryableFailure("the lifecycle says no: " + type, type)));
            assertEquals(HttpStatus.CONFLICT, answer.status(), type);
            assertEquals(type, answer.code());
            assertEquals("the lifecycle says no: " + type, answer.getMessage());
            assertEquals(Map.of("action", "changePlan"), answer.details());
        }
    }

    @Test
    void aRefusalWhoseCodeIsTheCauseOfTheValidatorsExceptionKeepsItsCode() {
        // What the worker actually sends (sdk-java#2875): a wrapper whose cause carries the typed failure.
        ApiException answer = ServerService.refusal(refused("reinstall", new RuntimeException("wrapper",
                ApplicationFailure.newNonRetryableFailure("suspended by an operator", "SERVER_SUSPENDED"))));
        assertEquals(HttpStatus.CONFLICT, answer.status());
        assertEquals("SERVER_SUSPENDED", answer.code());
        assertEquals("suspended by an operator", answer.getMessage());
    }

    @Test
    void aRefusalOfAnUnknownTypeIsStillA409UnderAGenericCodeThatNamesIt() {
        ApiException answer = ServerService.refusal(refused("renewNow",
                ApplicationFailure.newNonRetryableFailure("internal words", "NOT_IMPLEMENTED")));
        assertEquals(HttpStatus.CONFLICT, answer.status());
        assertEquals(ServerService.ACTION_REFUSED, answer.code());
        assertEquals(Map.of("action", "renewNow", "refusal", "NOT_IMPLEMENTED"), answer.details());
        assertEquals("The server's lifecycle refused this request", answer.getMessage(), "its own words stay inside");
    }

    @Test
    void aRefusalWithoutAnApplicationFailureIsA409WithoutARefusalType() {
        ApiException answer = ServerService.refusal(refused("reinstall", new IllegalStateException("odd")));
        assertEquals(HttpStatus.CONFLICT, answer.status());
        assertEquals(ServerService.ACTION_REFUSED, answer.code());
        assertEquals(Map.of("action", "reinstall"), answer.details());
    }

    private static WorkflowUpdateException refused(String update, Throwable cause) {
        return new WorkflowUpdateException(RUN, "update-1", update, cause);
    }
}
