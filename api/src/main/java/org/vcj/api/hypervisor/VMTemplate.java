package org.vcj.api.hypervisor;

/**
 * VM templating (Kata {@code BootToBeTemplate}/{@code BootFromTemplate}): guest memory in a shared
 * file plus a device state file.
 *
 * @param bootToBeTemplate true: boot a VM whose memory is {@code memoryPath} (shared) so that it can be saved
 *                         with {@link Hypervisor#saveVM}; false: start a clone from {@code memoryPath} and
 *                         {@code devicesStatePath}
 * @param memoryPath       the guest memory file
 * @param devicesStatePath the saved device state
 */
public record VMTemplate(boolean bootToBeTemplate, String memoryPath, String devicesStatePath) { }
