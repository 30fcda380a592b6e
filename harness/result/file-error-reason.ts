/** Why a file or folder could not be made or written, in words (the error code when it has none). */
export function fileErrorReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "the file system is read-only";
    case "ENOTDIR":
    case "EEXIST":
      return "it (or a folder on its path) is a file, not a folder";
    case "EISDIR":
      return "it is a folder, not a file";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return error.code ?? error.message;
  }
}
