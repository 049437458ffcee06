# Returns the wrong type: the driver says so (RE), instead of the judge failing.
class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        return "0 1"
