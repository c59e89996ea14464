package dev.recsys.common.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recsys.common.catalog.CatalogUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsersDatasetTest {

    @Test
    void theSchemaHasEveryColumnInOrderWithItsTypeAndCategoricalFlag() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(UsersDataset.schemaJson());
        assertThat(schema.path("name").asText()).isEqualTo("Users");
        List<String> names = new ArrayList<>();
        schema.path("fields").forEach(f -> names.add(f.path("name").asText()));
        assertThat(names).isEqualTo(UsersDataset.COLUMNS).containsExactly("USER_ID", "SEGMENT", "MEMBERSHIP", "AGE");
        assertThat(schema.path("fields").get(0).toString()).isEqualTo("{\"name\":\"USER_ID\",\"type\":\"string\"}");
        assertThat(schema.path("fields").get(1).toString())
                .isEqualTo("{\"name\":\"SEGMENT\",\"type\":[\"null\",\"string\"],\"categorical\":true}");
        assertThat(schema.path("fields").get(3).toString()).isEqualTo("{\"name\":\"AGE\",\"type\":[\"null\",\"int\"]}");
    }

    @Test
    void rowsAndPutUsersPropertiesLeaveAbsentFieldsOut() {
        CatalogUser u = CatalogUser.upsert("u-1", 5, "cluster-2", "free", 17);
        assertThat(UsersDataset.row(u)).containsExactly("u-1", "cluster-2", "free", "17");
        assertThat(UsersDataset.properties(u)).isEqualTo(Map.of("segment", "cluster-2", "membership", "free", "age", "17"));
        CatalogUser bare = CatalogUser.upsert("u-2", 5, null, null, null);
        assertThat(UsersDataset.row(bare)).containsExactly("u-2", "", "", "");
        assertThat(UsersDataset.properties(bare)).isEmpty();
        assertThatThrownBy(() -> UsersDataset.row(CatalogUser.delete("u-3", 5))).hasMessageContaining("deleted user has no row");
        for (String c : UsersDataset.COLUMNS) {
            if (!c.equals(UsersDataset.USER_ID)) assertThat(ItemsDataset.column(ItemsDataset.camelCase(c))).isEqualTo(c);
        }
    }
}
