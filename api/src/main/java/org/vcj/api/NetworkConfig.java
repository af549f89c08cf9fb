package org.vcj.api;

/** The network namespace to connect the sandbox to ({@code ""} for none) and the interworking model. */
public record NetworkConfig(String netNSPath, NetInterworkingModel interworkingModel) {
    public static final NetworkConfig NONE = new NetworkConfig("", NetInterworkingModel.NET_X_CONNECT_DEFAULT_MODEL);

    public NetworkConfig {
        netNSPath = netNSPath == null ? "" : netNSPath;
        interworkingModel = interworkingModel == null ? NetInterworkingModel.NET_X_CONNECT_DEFAULT_MODEL : interworkingModel;
        if (!netNSPath.isEmpty() && !netNSPath.startsWith("/")) {
            throw new InvalidConfigException("NetworkConfig.NetNSPath", netNSPath, "must be an absolute path such as /var/run/netns/NAME");
        }
    }
}
