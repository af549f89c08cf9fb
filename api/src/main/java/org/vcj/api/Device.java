package org.vcj.api;

/**
 * A device attached to a sandbox by {@link VCSandbox#addDevice(DeviceInfo)}.
 *
 * @param id        the hypervisor's id of the device
 * @param devType   {@code b}, {@code c} ...
 * @param info      what was asked for
 * @param guestPath where the device appeared in the guest ({@code ""} when unknown)
 */
public record Device(String id, String devType, DeviceInfo info, String guestPath) { }
