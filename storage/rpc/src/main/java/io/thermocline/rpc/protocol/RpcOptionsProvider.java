package io.thermocline.rpc.protocol;

import io.thermocline.common.config.OptionsProvider;

import java.util.List;

/** The options of RPC connections and their security, for configuration files. */
public final class RpcOptionsProvider implements OptionsProvider {
    @Override
    public String title() {
        return "RPC and security: every server and client";
    }

    @Override
    public List<Class<?>> optionClasses() {
        return List.of(RpcOptions.class);
    }
}
