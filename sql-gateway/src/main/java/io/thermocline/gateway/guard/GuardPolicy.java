package io.thermocline.gateway.guard;

import io.thermocline.common.config.Configuration;
import io.thermocline.gateway.GatewayOptions;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an administrator lets the gateway's SQL users do beyond the Thermocline catalog's tables:
 * which connectors their own tables may use, which session options they may set, and whether
 * jars, new catalogs and job control are theirs. Immutable.
 *
 * @param connectors connector identifiers allowed in tables outside the Thermocline catalog
 * @param settableOptions keys of session options users may set; a trailing {@code *} matches a prefix
 * @param catalogTypes catalog types users may create
 */
public record GuardPolicy(Set<String> connectors, List<String> settableOptions, Set<String> catalogTypes,
        boolean jars, boolean jobControl) {

    public GuardPolicy {
        connectors = Set.copyOf(connectors);
        settableOptions = List.copyOf(settableOptions);
        catalogTypes = Set.copyOf(catalogTypes);
    }

    public static GuardPolicy of(Configuration options) {
        return new GuardPolicy(lowerCaseSet(options.get(GatewayOptions.ALLOWED_CONNECTORS)),
                list(options.get(GatewayOptions.ALLOWED_SET_OPTIONS)),
                lowerCaseSet(options.get(GatewayOptions.ALLOWED_CATALOG_TYPES)),
                options.get(GatewayOptions.ALLOW_JARS), options.get(GatewayOptions.ALLOW_JOB_CONTROL));
    }

    public boolean allowsConnector(String connector) {
        return connector != null && connectors.contains(connector.toLowerCase(Locale.ROOT));
    }

    public boolean allowsSetting(String key) {
        for (String pattern : settableOptions) {
            if (pattern.endsWith("*") ? key.startsWith(pattern.substring(0, pattern.length() - 1)) : key.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    public boolean allowsCatalogType(String type) {
        return type != null && catalogTypes.contains(type.toLowerCase(Locale.ROOT));
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    private static Set<String> lowerCaseSet(String commaSeparated) {
        return list(commaSeparated).stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
