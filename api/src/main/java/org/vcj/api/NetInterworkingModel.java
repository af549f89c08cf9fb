package org.vcj.api;

/** The network model connecting the network interface to the virtual machine. */
public enum NetInterworkingModel {
    /** Use the default model. */
    NET_X_CONNECT_DEFAULT_MODEL,
    /** The container network interface is bridged using macvtap. */
    NET_X_CONNECT_MAC_VTAP_MODEL
}
