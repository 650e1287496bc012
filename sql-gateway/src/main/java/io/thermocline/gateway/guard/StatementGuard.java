package io.thermocline.gateway.guard;

import io.thermocline.flink.catalog.ThermoclineCatalog;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CommonCatalogOptions;
import org.apache.flink.table.catalog.ContextResolvedTable;
import org.apache.flink.table.catalog.FunctionLanguage;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.operations.CallProcedureOperation;
import org.apache.flink.table.operations.CollectModifyOperation;
import org.apache.flink.table.operations.CompileAndExecutePlanOperation;
import org.apache.flink.table.operations.CreateTableASOperation;
import org.apache.flink.table.operations.DescribeCatalogOperation;
import org.apache.flink.table.operations.ExplainOperation;
import org.apache.flink.table.operations.LoadModuleOperation;
import org.apache.flink.table.operations.ModifyOperation;
import org.apache.flink.table.operations.Operation;
import org.apache.flink.table.operations.QueryOperation;
import org.apache.flink.table.operations.ReplaceTableAsOperation;
import org.apache.flink.table.operations.ShowCreateCatalogOperation;
import org.apache.flink.table.operations.SinkModifyOperation;
import org.apache.flink.table.operations.StatementSetOperation;
import org.apache.flink.table.operations.UnloadModuleOperation;
import org.apache.flink.table.operations.command.AddJarOperation;
import org.apache.flink.table.operations.command.DescribeJobOperation;
import org.apache.flink.table.operations.command.ExecutePlanOperation;
import org.apache.flink.table.operations.command.RemoveJarOperation;
import org.apache.flink.table.operations.command.SetOperation;
import org.apache.flink.table.operations.command.ShowJobsOperation;
import org.apache.flink.table.operations.command.StopJobOperation;
import org.apache.flink.table.operations.ddl.AlterCatalogFunctionOperation;
import org.apache.flink.table.operations.ddl.AlterCatalogOptionsOperation;
import org.apache.flink.table.operations.ddl.AlterCatalogResetOperation;
import org.apache.flink.table.operations.ddl.AlterModelChangeOperation;
import org.apache.flink.table.operations.ddl.AlterTableChangeOperation;
import org.apache.flink.table.operations.ddl.AlterTableSchemaOperation;
import org.apache.flink.table.operations.ddl.CompilePlanOperation;
import org.apache.flink.table.operations.ddl.CreateCatalogFunctionOperation;
import org.apache.flink.table.operations.ddl.CreateCatalogOperation;
import org.apache.flink.table.operations.ddl.CreateModelOperation;
import org.apache.flink.table.operations.ddl.CreateTableOperation;
import org.apache.flink.table.operations.ddl.CreateTempSystemFunctionOperation;
import org.apache.flink.table.operations.materializedtable.MaterializedTableOperation;
import org.apache.flink.table.planner.operations.PlannerQueryOperation;
import org.apache.flink.table.planner.plan.schema.TableSourceTable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides, before anything runs, whether the gateway runs a statement for a SQL user: the
 * gateway's process and its Flink cluster hold files, credentials and jobs that are not the
 * user's. It reads the operations Flink's parser made of the statement, so it sees what Flink
 * will run: every table a query scans after views are expanded and hints applied, every sink.
 *
 * <p>Refused unless the {@link GuardPolicy} allows them: tables (created, read or written) of a
 * connector outside the allowed set, unless permanent in a Thermocline catalog; SET of options
 * outside the allowed keys; jars and functions from jars or other languages; new catalogs and
 * changes to catalogs' options; SHOW JOBS, and STOP JOB or DESCRIBE JOB of a job the connection
 * did not start. Always refused: modules, compiled plans (files on
 * the gateway host), procedures, models, materialized tables, and showing catalogs' options.
 * Thread-safe.
 */
public final class StatementGuard {
    private final GuardPolicy policy;

    public StatementGuard(GuardPolicy policy) {
        this.policy = policy;
    }

    /**
     * @param catalogs the session's catalogs by name
     * @param ownJob whether a job id is of a job the session's own statements started
     * @throws StatementRefusedException naming what the policy does not allow
     */
    public void check(List<Operation> operations, Function<String, Optional<Catalog>> catalogs,
            Predicate<String> ownJob) {
        for (Operation operation : operations) {
            check(operation, catalogs, ownJob);
        }
    }

    private void check(Operation operation, Function<String, Optional<Catalog>> catalogs, Predicate<String> ownJob) {
        if (operation instanceof QueryOperation query) {
            checkQuery(query);
        } else if (operation instanceof ModifyOperation modify) {
            checkModify(modify, catalogs);
        } else if (operation instanceof StatementSetOperation set) {
            set.getOperations().forEach(o -> check(o, catalogs, ownJob));
        } else if (operation instanceof ExplainOperation explain) {
            check(explain.getChild(), catalogs, ownJob);
        } else if (operation instanceof CreateTableOperation create) {
            checkCreate(create, catalogs);
        } else if (operation instanceof AlterTableChangeOperation alter) {
            checkTableOptions(alter.getTableIdentifier(), alter.getNewTable(), false, catalogs);
        } else if (operation instanceof AlterTableSchemaOperation alter) {
            checkTableOptions(alter.getTableIdentifier(), alter.getCatalogTable(), false, catalogs);
        } else if (operation instanceof SetOperation set) {
            set.getKey().ifPresent(this::checkSetting);
        } else if (operation instanceof CreateCatalogOperation create) {
            String type = create.getProperties().get(CommonCatalogOptions.CATALOG_TYPE.key());
            if (!policy.allowsCatalogType(type)) {
                throw refused("CREATE CATALOG " + create.getCatalogName() + " of type '" + type + "' is not allowed"
                        + allowedBy("gateway.allowed-catalog-types", policy.catalogTypes().toString()));
            }
        } else if (operation instanceof AlterCatalogOptionsOperation || operation instanceof AlterCatalogResetOperation) {
            throw refused("ALTER CATALOG is not allowed: a catalog's options are the gateway administrator's");
        } else if (operation instanceof DescribeCatalogOperation || operation instanceof ShowCreateCatalogOperation) {
            throw refused("showing a catalog's options is not allowed: they may hold the cluster's credentials");
        } else if (operation instanceof CreateCatalogFunctionOperation create) {
            checkFunction(create.getFunctionName(), create.getCatalogFunction());
        } else if (operation instanceof AlterCatalogFunctionOperation alter) {
            checkFunction(alter.getFunctionIdentifier().asSummaryString(), alter.getCatalogFunction());
        } else if (operation instanceof CreateTempSystemFunctionOperation create) {
            checkFunction(create.getFunctionName(), create.getCatalogFunction());
        } else if (operation instanceof AddJarOperation || operation instanceof RemoveJarOperation) {
            if (!policy.jars()) {
                throw refused("ADD JAR and REMOVE JAR are not allowed: jars run code in the gateway" + allowedBy(
                        "gateway.allow-jars", "false"));
            }
        } else if (operation instanceof StopJobOperation stop) {
            checkJob("STOP JOB", stop.getJobId(), ownJob);
        } else if (operation instanceof DescribeJobOperation describe) {
            checkJob("DESCRIBE JOB", describe.getJobId(), ownJob);
        } else if (operation instanceof ShowJobsOperation) {
            if (!policy.jobControl()) {
                throw refused("SHOW JOBS is not allowed: it lists every job of the Flink cluster"
                        + allowedBy("gateway.allow-job-control", "false"));
            }
        } else if (operation instanceof LoadModuleOperation || operation instanceof UnloadModuleOperation) {
            throw refused("LOAD MODULE and UNLOAD MODULE are not allowed: modules are the gateway administrator's");
        } else if (operation instanceof CompilePlanOperation || operation instanceof ExecutePlanOperation
                || operation instanceof CompileAndExecutePlanOperation) {
            throw refused("COMPILE PLAN and EXECUTE PLAN are not allowed: they write and read files on the gateway host");
        } else if (operation instanceof CallProcedureOperation) {
            throw refused("CALL is not allowed: no procedure is offered to SQL users");
        } else if (operation instanceof CreateModelOperation || operation instanceof AlterModelChangeOperation) {
            throw refused("models are not allowed: their providers reach services outside the cluster");
        } else if (operation instanceof MaterializedTableOperation) {
            throw refused("materialized tables are not allowed");
        }
        // Anything else (USE, SHOW, DESCRIBE, databases, views, drops, statement set bounds) touches
        // only catalog objects, and the tables behind a view are checked when a query reads them.
    }

    private void checkQuery(QueryOperation query) {
        if (query instanceof PlannerQueryOperation planned) {
            checkScans(planned.getCalciteTree());
        } else {
            query.getChildren().forEach(this::checkQuery);
        }
    }

    private void checkModify(ModifyOperation modify, Function<String, Optional<Catalog>> catalogs) {
        if (modify instanceof SinkModifyOperation sink) {
            ContextResolvedTable table = sink.getContextResolvedTable();
            Map<String, String> options = new HashMap<>(table.getResolvedTable().getOptions());
            options.putAll(sink.getDynamicOptions());
            checkTable(table, options);
        } else if (modify instanceof CreateTableASOperation create) {
            checkCreate(create.getCreateTableOperation(), catalogs);
        } else if (modify instanceof ReplaceTableAsOperation replace) {
            checkCreate(replace.getCreateTableOperation(), catalogs);
        } else if (!(modify instanceof CollectModifyOperation)) {
            throw refused("statement of kind " + modify.getClass().getSimpleName() + " is not allowed");
        }
        checkQuery(modify.getChild());
    }

    private void checkCreate(CreateTableOperation create, Function<String, Optional<Catalog>> catalogs) {
        checkTableOptions(create.getTableIdentifier(), create.getCatalogTable(), create.isTemporary(), catalogs);
    }

    private void checkTableOptions(ObjectIdentifier identifier, CatalogBaseTable table, boolean temporary,
            Function<String, Optional<Catalog>> catalogs) {
        if (!temporary && catalogs.apply(identifier.getCatalogName()).filter(ThermoclineCatalog.class::isInstance)
                .isPresent()) {
            return; // the catalog's own tables; it ignores a connector option
        }
        checkConnector(identifier.asSummaryString(), table.getOptions());
    }

    private void checkScans(RelNode root) {
        new RelVisitor() {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent) {
                if (node instanceof TableScan scan) {
                    TableSourceTable source = scan.getTable().unwrap(TableSourceTable.class);
                    if (source == null) {
                        throw refused("reading " + scan.getTable().getQualifiedName() + " is not allowed: not a table"
                                + " of a connector");
                    }
                    ContextResolvedTable table = source.contextResolvedTable();
                    checkTable(table, table.getResolvedTable().getOptions());
                }
                // Subqueries (IN, EXISTS, scalar) stay in expressions until the optimizer expands them.
                node.accept(new RexShuttle() {
                    @Override
                    public org.apache.calcite.rex.RexNode visitSubQuery(RexSubQuery subQuery) {
                        go(subQuery.rel);
                        return super.visitSubQuery(subQuery);
                    }
                });
                super.visit(node, ordinal, parent);
            }
        }.go(root);
    }

    private void checkTable(ContextResolvedTable table, Map<String, String> options) {
        if (table.isPermanent() && table.getCatalog().filter(ThermoclineCatalog.class::isInstance).isPresent()) {
            return; // the catalog's factory serves its tables, whatever a hint says the connector is
        }
        checkConnector(table.getIdentifier().asSummaryString(), options);
    }

    private void checkConnector(String table, Map<String, String> options) {
        String connector = options.get(FactoryUtil.CONNECTOR.key());
        if (!policy.allowsConnector(connector)) {
            throw refused("Table " + table + ": connector '" + connector + "' is not allowed" + allowedBy(
                    "gateway.allowed-connectors", String.join(",", new TreeSet<>(policy.connectors()))));
        }
    }

    private void checkJob(String command, String jobId, Predicate<String> ownJob) {
        if (!policy.jobControl() && !ownJob.test(jobId)) {
            throw refused(command + " '" + jobId + "' is not allowed: the job was not started by this connection"
                    + allowedBy("gateway.allow-job-control", "false"));
        }
    }

    private void checkSetting(String key) {
        if (!policy.allowsSetting(key)) {
            throw refused("SET '" + key + "' is not allowed: the option is the gateway administrator's"
                    + allowedBy("gateway.allowed-set-options", String.join(",", policy.settableOptions())));
        }
    }

    private void checkFunction(String name, CatalogFunction function) {
        if (function == null || policy.jars()) {
            return;
        }
        if (!function.getFunctionResources().isEmpty()) {
            throw refused("Function " + name + ": functions from jars (USING JAR) are not allowed"
                    + allowedBy("gateway.allow-jars", "false"));
        }
        if (function.getFunctionLanguage() != FunctionLanguage.JAVA
                && function.getFunctionLanguage() != FunctionLanguage.SCALA) {
            throw refused("Function " + name + ": functions in " + function.getFunctionLanguage() + " are not allowed"
                    + allowedBy("gateway.allow-jars", "false"));
        }
    }

    private static String allowedBy(String option, String current) {
        return " (gateway option " + option + ": " + (current.isEmpty() ? "none" : current) + ")";
    }

    private static StatementRefusedException refused(String message) {
        return new StatementRefusedException("Refused by the gateway: " + message);
    }
}
