package io.thermocline.gateway.meta;

import io.thermocline.gateway.session.FlinkSession;

import org.apache.calcite.avatica.AvaticaUtils;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.gateway.api.results.TableInfo;
import org.apache.flink.table.types.logical.LogicalType;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.DatabaseMetaData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * JDBC metadata (catalogs, schemas = databases, tables, columns) from a session's catalogs, as
 * rows in the column layout JDBC defines for each call.
 */
final class CatalogMetadata {
    /** Rows of one metadata call and their columns. */
    record Rows(List<ColumnMetaData> columns, List<Object> rows) {}

    /** Position of REMARKS among the columns of getColumns. */
    private static final int REMARKS = 11;

    private CatalogMetadata() {}

    static Rows catalogs(FlinkSession session) {
        List<Object> rows = new ArrayList<>();
        session.catalogs().stream().sorted().forEach(c -> rows.add(row(new MetaImpl.MetaCatalog(c))));
        return new Rows(columns(MetaImpl.MetaCatalog.class), rows);
    }

    static Rows schemas(FlinkSession session, String catalog, Meta.Pat schemaPattern) {
        List<Object> rows = new ArrayList<>();
        for (String c : catalogs(session, catalog)) {
            session.databases(c).stream().sorted().filter(matches(schemaPattern))
                    .forEach(d -> rows.add(row(new MetaImpl.MetaSchema(c, d))));
        }
        return new Rows(columns(MetaImpl.MetaSchema.class), rows);
    }

    static Rows tables(FlinkSession session, String catalog, Meta.Pat schemaPattern, Meta.Pat tablePattern,
            List<String> types) {
        List<Object> rows = new ArrayList<>();
        for (TableInfo table : tables(session, catalog, schemaPattern, tablePattern)) {
            String type = table.getTableKind() == CatalogBaseTable.TableKind.VIEW ? "VIEW" : "TABLE";
            if (types == null || types.contains(type)) {
                ObjectIdentifier id = table.getIdentifier();
                rows.add(row(new MetaImpl.MetaTable(id.getCatalogName(), id.getDatabaseName(), id.getObjectName(), type)));
            }
        }
        return new Rows(columns(MetaImpl.MetaTable.class), rows);
    }

    static Rows tableTypes() {
        return new Rows(columns(MetaImpl.MetaTableType.class), List.of(row(new MetaImpl.MetaTableType("TABLE")),
                row(new MetaImpl.MetaTableType("VIEW"))));
    }

    static Rows columns(FlinkSession session, String catalog, Meta.Pat schemaPattern, Meta.Pat tablePattern,
            Meta.Pat columnPattern) {
        List<Object> rows = new ArrayList<>();
        for (TableInfo table : tables(session, catalog, schemaPattern, tablePattern)) {
            ObjectIdentifier id = table.getIdentifier();
            ResolvedSchema schema = session.table(id).getResolvedSchema();
            List<String> key = schema.getPrimaryKey().map(k -> k.getColumns()).orElse(List.of());
            List<ColumnMetaData> types = JdbcTypes.columns(schema, false);
            int position = 0;
            for (Column column : schema.getColumns()) {
                ColumnMetaData type = types.get(position++);
                if (!matches(columnPattern).test(column.getName())) {
                    continue;
                }
                LogicalType logical = column.getDataType().getLogicalType();
                List<Object> row = row(new MetaImpl.MetaColumn(id.getCatalogName(), id.getDatabaseName(),
                        id.getObjectName(), column.getName(), type.type.id, logical.asSummaryString(), type.precision,
                        type.scale, 10, logical.isNullable() ? DatabaseMetaData.columnNullable
                                : DatabaseMetaData.columnNoNulls, type.precision, position,
                        logical.isNullable() ? "YES" : "NO"));
                // Avatica's protocol has no primary-key call: the key is told in the columns' remarks.
                int keyPosition = key.indexOf(column.getName());
                row.set(REMARKS, keyPosition < 0 ? column.getComment().orElse(null)
                        : "PRIMARY KEY column " + (keyPosition + 1) + " of " + key.size()
                                + column.getComment().map(c -> "; " + c).orElse(""));
                rows.add(row);
            }
        }
        return new Rows(columns(MetaImpl.MetaColumn.class), rows);
    }

    private static List<TableInfo> tables(FlinkSession session, String catalog, Meta.Pat schemaPattern,
            Meta.Pat tablePattern) {
        List<TableInfo> tables = new ArrayList<>();
        for (String c : catalogs(session, catalog)) {
            for (String database : session.databases(c)) {
                if (matches(schemaPattern).test(database)) {
                    session.tables(c, database).stream().filter(t -> matches(tablePattern)
                            .test(t.getIdentifier().getObjectName())).forEach(tables::add);
                }
            }
        }
        tables.sort(Comparator.comparing(t -> t.getIdentifier().asSummaryString()));
        return tables;
    }

    private static List<String> catalogs(FlinkSession session, String catalog) {
        return catalog == null ? session.catalogs().stream().sorted().toList() : List.of(catalog);
    }

    /** A JDBC pattern: % any run, _ any character; null matches everything. */
    private static java.util.function.Predicate<String> matches(Meta.Pat pattern) {
        if (pattern == null || pattern.s == null) {
            return s -> true;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.s.toCharArray()) {
            regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
        }
        Pattern compiled = Pattern.compile(regex.toString());
        return s -> compiled.matcher(s).matches();
    }

    /** The columns of a metadata record type: its public fields, named as JDBC names them. */
    private static List<ColumnMetaData> columns(Class<?> record) {
        List<ColumnMetaData> columns = new ArrayList<>();
        for (Field field : fields(record)) {
            columns.add(MetaImpl.columnMetaData(AvaticaUtils.camelToUpper(field.getName()), columns.size(),
                    field.getType(), !field.getType().isPrimitive()));
        }
        return columns;
    }

    /** A metadata record's values in the order of its columns. */
    private static List<Object> row(Object record) {
        List<Object> values = new ArrayList<>();
        for (Field field : fields(record.getClass())) {
            try {
                values.add(field.get(record));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    /** A metadata record type's public instance fields in declaration order: its columns. */
    private static List<Field> fields(Class<?> record) {
        return java.util.Arrays.stream(record.getFields()).filter(f -> !Modifier.isStatic(f.getModifiers())).toList();
    }
}
